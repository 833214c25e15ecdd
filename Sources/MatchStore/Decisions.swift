import Foundation
import GRDB
import MatchModel

/// A review decision on a pair.
public enum DecisionAction: String, Sendable, CaseIterable {
    /// Keep the pair: later proposals fix it.
    case accept
    /// Never propose the pair again.
    case reject
    /// Fix the pair (a negotiated pairing).
    case lock
    /// Undo an accept, reject or lock.
    case unlock
}

/// One entry of the audit trail.
public struct DecisionRecord: Sendable, Equatable {
    public var id: Int64
    public var pair: PairKey
    public var action: DecisionAction
    public var by: String
    public var at: String
    public var reason: String
    public var proposalID: Int64?
}

extension ProgramStore {
    /// Records decisions on pairs, all in one transaction.
    public func decide(_ action: DecisionAction, pairs: [PairKey], by: String, reason: String, proposalID: Int64?) throws {
        try write { db in
            for p in pairs {
                try db.execute(sql: """
                    INSERT INTO decision (mentorId, menteeId, action, decidedBy, decidedAt, reason, proposalId)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [p.mentorID, p.menteeID, action.rawValue, by, Self.now(), reason, proposalID])
            }
        }
    }

    /// The audit trail, oldest first.
    public func log() throws -> [DecisionRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM decision ORDER BY id").map {
                DecisionRecord(id: $0["id"], pair: PairKey(mentorID: $0["mentorId"], menteeID: $0["menteeId"]),
                               action: DecisionAction(rawValue: $0["action"]) ?? .unlock, by: $0["decidedBy"],
                               at: $0["decidedAt"], reason: $0["reason"], proposalID: $0["proposalId"])
            }
        }
    }

    /// The decisions in force: each pair's latest action. Accepted and locked
    /// pairs are fixed in later proposals; rejected pairs are excluded.
    public func binding() throws -> (locked: Set<PairKey>, accepted: Set<PairKey>, rejected: Set<PairKey>) {
        var latest: [PairKey: DecisionAction] = [:]
        for d in try log() { latest[d.pair] = d.action }
        var locked = Set<PairKey>(), accepted = Set<PairKey>(), rejected = Set<PairKey>()
        for (pair, action) in latest {
            switch action {
            case .lock: locked.insert(pair)
            case .accept: accepted.insert(pair)
            case .reject: rejected.insert(pair)
            case .unlock: break
            }
        }
        return (locked, accepted, rejected)
    }
}
