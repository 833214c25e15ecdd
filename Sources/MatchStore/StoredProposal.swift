import Foundation
import GRDB
import MatchModel

/// A proposal as recorded: headline figures, pairs with points and factors
/// (JSON), and the unmatched with their reasons.
public struct StoredProposal: Sendable {
    public struct Pair: Sendable, Equatable {
        public var mentorID: String
        public var menteeID: String
        public var points: Int
        /// Factors as JSON (skills, level, timezone, preference, style, cross_department).
        public var factorsJSON: String
        public var locked: Bool
        /// "accepted" or "locked" when a review decision fixed the pair.
        public var decision: String?
        public init(mentorID: String, menteeID: String, points: Int, factorsJSON: String, locked: Bool, decision: String? = nil) {
            self.mentorID = mentorID
            self.menteeID = menteeID
            self.points = points
            self.factorsJSON = factorsJSON
            self.locked = locked
            self.decision = decision
        }
        public var key: PairKey { PairKey(mentorID: mentorID, menteeID: menteeID) }
    }

    public var id: Int64
    public var createdAt: String
    public var createdBy: String
    public var program: String
    public var cohort: String
    /// The policy as used, JSON.
    public var policyJSON: String
    /// SHA-256-like fingerprint of the roster files as read.
    public var rosterHash: String
    public var status: String
    public var coverage: Int
    public var matchedMentees: Int
    public var totalPoints: Int
    public var minPoints: Int
    public var engine: String
    public var seconds: Double
    public var note: String
    /// Made by `propose` or by `rematch`.
    public var kind: ProposalKind = .propose
    public var pairs: [Pair]
    public var unmatched: [(menteeID: String, reasons: [String])]

    public init(
        id: Int64 = 0, createdAt: String = "", createdBy: String, program: String, cohort: String, policyJSON: String,
        rosterHash: String, status: String, coverage: Int, matchedMentees: Int, totalPoints: Int, minPoints: Int,
        engine: String, seconds: Double, note: String = "", pairs: [Pair], unmatched: [(menteeID: String, reasons: [String])]
    ) {
        self.id = id
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.program = program
        self.cohort = cohort
        self.policyJSON = policyJSON
        self.rosterHash = rosterHash
        self.status = status
        self.coverage = coverage
        self.matchedMentees = matchedMentees
        self.totalPoints = totalPoints
        self.minPoints = minPoints
        self.engine = engine
        self.seconds = seconds
        self.note = note
        self.pairs = pairs
        self.unmatched = unmatched
    }
}

extension ProgramStore {
    /// Records a proposal in one transaction; returns its id.
    @discardableResult
    public func record(_ p: StoredProposal) throws -> Int64 {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO proposal (createdAt, createdBy, program, cohort, policy, rosterHash, status, coverage,
                      matchedMentees, totalPoints, minPoints, engine, seconds, note, kind)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Self.now(), p.createdBy, p.program, p.cohort, p.policyJSON, p.rosterHash, p.status,
                    p.coverage, p.matchedMentees, p.totalPoints, p.minPoints, p.engine, p.seconds, p.note,
                    p.kind.rawValue
                ])
            let id = db.lastInsertedRowID
            // One prepared statement per table (a 100k roster records ~100 k rows).
            let insertPair = try db.makeStatement(
                sql: """
                    INSERT INTO proposalPair (proposalId, mentorId, menteeId, points, factors, locked, decision) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for pair in p.pairs {
                try insertPair.execute(arguments: [id, pair.mentorID, pair.menteeID, pair.points, pair.factorsJSON, pair.locked, pair.decision])
            }
            let insertUnmatched = try db.makeStatement(sql: "INSERT INTO proposalUnmatched VALUES (?, ?, ?)")
            let encoder = JSONEncoder()
            for u in p.unmatched {
                let reasons = String(decoding: try encoder.encode(u.reasons), as: UTF8.self)
                try insertUnmatched.execute(arguments: [id, u.menteeID, reasons])
            }
            return id
        }
    }

    /// Proposals, newest first (without pairs).
    public func proposals() throws -> [StoredProposal] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM proposal ORDER BY id DESC").map { Self.header($0) }
        }
    }

    /// One proposal's headline (no pairs, no unmatched).
    public func header(of id: Int64) throws -> StoredProposal? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM proposal WHERE id = ?", arguments: [id]).map(Self.header) }
    }

    /// One proposal with pairs and unmatched; the newest when `id` is nil
    /// (with `withCohort`, the newest that has a cohort, i.e. is not infeasible).
    public func proposal(_ id: Int64? = nil, withCohort: Bool = false) throws -> StoredProposal? {
        try read { db in
            let row: Row?
            if let id {
                row = try Row.fetchOne(db, sql: "SELECT * FROM proposal WHERE id = ?", arguments: [id])
            } else if withCohort {
                row = try Row.fetchOne(db, sql: "SELECT * FROM proposal WHERE status != 'infeasible' ORDER BY id DESC LIMIT 1")
            } else {
                row = try Row.fetchOne(db, sql: "SELECT * FROM proposal ORDER BY id DESC LIMIT 1")
            }
            guard let row else { return nil }
            var p = Self.header(row)
            p.pairs = try Row.fetchAll(
                db, sql: "SELECT * FROM proposalPair WHERE proposalId = ? ORDER BY menteeId, mentorId",
                arguments: [p.id]
            ).map {
                StoredProposal.Pair(
                    mentorID: $0["mentorId"], menteeID: $0["menteeId"], points: $0["points"],
                    factorsJSON: $0["factors"], locked: $0["locked"], decision: $0["decision"])
            }
            p.unmatched = try Row.fetchAll(
                db, sql: "SELECT * FROM proposalUnmatched WHERE proposalId = ? ORDER BY menteeId",
                arguments: [p.id]
            ).map { r in
                let text: String = r["reasons"]
                let reasons = (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? [text]
                return (menteeID: r["menteeId"], reasons: reasons)
            }
            return p
        }
    }

    static func header(_ r: Row) -> StoredProposal {
        var p = StoredProposal(
            id: r["id"], createdAt: r["createdAt"], createdBy: r["createdBy"], program: r["program"], cohort: r["cohort"],
            policyJSON: r["policy"], rosterHash: r["rosterHash"], status: r["status"], coverage: r["coverage"],
            matchedMentees: r["matchedMentees"], totalPoints: r["totalPoints"], minPoints: r["minPoints"],
            engine: r["engine"], seconds: r["seconds"], note: r["note"], pairs: [], unmatched: [])
        p.kind = ProposalKind(rawValue: r["kind"]) ?? .propose
        return p
    }
}
