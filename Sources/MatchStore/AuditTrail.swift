import GRDB
import MatchModel

/// One line of the audit trail: what happened in the store, when, by whom, in which cycle.
public struct AuditEntry: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case proposal, rematch, decision, finalisation, erasure
    }
    public var at: String
    public var by: String
    public var kind: Kind
    /// The cycle it belongs to ("" for the unnamed cycle; erasures belong to none).
    public var cycle: String
    /// What happened, e.g. "proposal 3: optimal, 41 of 50 matched, 24,310 points" or "lock M12:E40".
    public var what: String
    /// Why, as recorded.
    public var reason: String
}

extension ProgramStore {
    /// The whole audit trail, oldest first: proposals (with who ran them and their cycle),
    /// rematches, decisions, finalisations, and erasures (never whom).
    public func auditTrail() throws -> [AuditEntry] {
        var entries: [(order: (String, Int, Int64), entry: AuditEntry)] = []
        try read { db in
            for r in try Row.fetchAll(
                db, sql: "SELECT id, createdAt, createdBy, cohort, status, matchedMentees, totalPoints, note, kind FROM proposal")
            {
                let id: Int64 = r["id"]
                let rematch = (r["kind"] as String) == ProposalKind.rematch.rawValue
                let what = "proposal \(id): \(r["status"] as String), \(r["matchedMentees"] as Int) matched, \(r["totalPoints"] as Int) points"
                entries.append(
                    (
                        (r["createdAt"], 0, id),
                        AuditEntry(
                            at: r["createdAt"], by: r["createdBy"], kind: rematch ? .rematch : .proposal,
                            cycle: r["cohort"], what: what, reason: r["note"])
                    ))
            }
            for r in try Row.fetchAll(db, sql: "SELECT * FROM cohort") {
                let proposal: Int64? = r["proposalId"]
                let what = "finalised as cohort '\(r["name"] as String)'" + (proposal.map { " from proposal \($0)" } ?? "")
                entries.append(
                    (
                        (r["finalizedAt"], 2, r["id"]),
                        AuditEntry(
                            at: r["finalizedAt"], by: r["finalizedBy"], kind: .finalisation,
                            cycle: r["cycle"], what: what, reason: "")
                    ))
            }
            for r in try Row.fetchAll(db, sql: "SELECT * FROM erasure") {
                entries.append(
                    (
                        (r["erasedAt"], 3, r["id"]),
                        AuditEntry(
                            at: r["erasedAt"], by: r["erasedBy"], kind: .erasure, cycle: "",
                            what: "erased a person: \(r["rowsDeleted"] as Int) records", reason: r["reason"])
                    ))
            }
        }
        for d in try log() {
            let what = "\(d.action.rawValue) \(d.pair)" + (d.standing ? " (every cycle)" : "")
            entries.append(((d.at, 1, d.id), AuditEntry(at: d.at, by: d.by, kind: .decision, cycle: d.cycle, what: what, reason: d.reason)))
        }
        return entries.sorted { $0.order < $1.order }.map(\.entry)
    }
}
