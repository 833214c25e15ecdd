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

    /// "accepted", "rejected", "locked", "unlocked": what a confirmation says was done.
    public var pastTense: String { rawValue + "ed" }
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
    /// The cycle the decision was made in (the program's `cohort:`).
    public var cycle: String = ""
    /// Whether it applies in every cycle (a rejection carried forward on purpose).
    public var standing = false
}

extension ProgramStore {
    /// Records decisions on pairs in `cycle`, all in one transaction.
    public func decide(
        _ action: DecisionAction, pairs: [PairKey], by: String, reason: String, proposalID: Int64?,
        cycle: String = "", standing: Bool = false
    ) throws {
        try write { db in
            for p in pairs {
                try db.execute(
                    sql: """
                        INSERT INTO decision (mentorId, menteeId, action, decidedBy, decidedAt, reason, proposalId, cycle, standing)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [p.mentorID, p.menteeID, action.rawValue, by, Self.now(), reason, proposalID, cycle, standing ? 1 : 0])
            }
        }
    }

    /// The audit trail, oldest first.
    public func log() throws -> [DecisionRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM decision ORDER BY id").map {
                DecisionRecord(
                    id: $0["id"], pair: PairKey(mentorID: $0["mentorId"], menteeID: $0["menteeId"]),
                    action: DecisionAction(rawValue: $0["action"]) ?? .unlock, by: $0["decidedBy"],
                    at: $0["decidedAt"], reason: $0["reason"], proposalID: $0["proposalId"],
                    cycle: $0["cycle"], standing: ($0["standing"] as Int) == 1)
            }
        }
    }

    /// The decisions in force in the unnamed cycle (a program without `cohort:`).
    public func binding() throws -> BindingDecisions { try binding(cycle: "") }
}
