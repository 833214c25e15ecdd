import Foundation
import GRDB
import MatchModel

/// A program runs in cycles, named by the program file's `cohort:`. Proposals,
/// decisions and finalisation belong to a cycle: a new cycle starts with no
/// binding decisions (last cycle's locks must not fix this cycle's pairs), while
/// the pairs of finalised cycles join the no-repeat history. A decision made
/// *standing* (`review reject … --always`) applies in every cycle.
extension ProgramStore {
    static func registerCycles(_ m: inout DatabaseMigrator) {
        m.registerMigration("v4: cycles (decisions, proposals and cohorts belong to a cycle)") { db in
            try db.execute(
                sql: """
                    ALTER TABLE decision ADD COLUMN cycle TEXT NOT NULL DEFAULT '';
                    ALTER TABLE decision ADD COLUMN standing INTEGER NOT NULL DEFAULT 0 CHECK (standing IN (0, 1));
                    ALTER TABLE proposal ADD COLUMN kind TEXT NOT NULL DEFAULT 'propose' CHECK (kind IN ('propose', 'rematch'));
                    ALTER TABLE cohort ADD COLUMN cycle TEXT NOT NULL DEFAULT '';
                    ALTER TABLE proposalPair ADD COLUMN decision TEXT CHECK (decision IN ('accepted', 'locked'));
                    UPDATE proposal SET kind = 'rematch' WHERE note LIKE 'rematch %';
                    -- A decision belongs to the cycle of the proposal it reviewed; one made before any
                    -- proposal, to the cycle of the first proposal made after it.
                    UPDATE decision SET cycle = COALESCE(
                      (SELECT cohort FROM proposal WHERE proposal.id = decision.proposalId),
                      (SELECT cohort FROM proposal WHERE proposal.createdAt >= decision.decidedAt ORDER BY id LIMIT 1),
                      (SELECT cohort FROM proposal ORDER BY id DESC LIMIT 1),
                      '');
                    UPDATE cohort SET cycle = COALESCE((SELECT proposal.cohort FROM proposal WHERE proposal.id = cohort.proposalId), name);
                    CREATE INDEX decisionCycle ON decision(cycle);
                    CREATE INDEX proposalCycle ON proposal(cohort, kind);
                    """)
        }
    }

    /// A finalised cycle: when, by whom, from which proposal, under which cohort name.
    public struct Finalisation: Sendable, Equatable {
        public var cycle: String
        public var cohort: String
        public var proposalID: Int64?
        public var at: String
        public var by: String
    }

    /// The finalisation of `cycle`, if it was finalised.
    public func finalisation(of cycle: String) throws -> Finalisation? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM cohort WHERE cycle = ? ORDER BY id LIMIT 1", arguments: [cycle]).map {
                Finalisation(cycle: $0["cycle"], cohort: $0["name"], proposalID: $0["proposalId"], at: $0["finalizedAt"], by: $0["finalizedBy"])
            }
        }
    }

    /// Every finalisation, oldest first.
    public func finalisations() throws -> [Finalisation] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM cohort ORDER BY id").map {
                Finalisation(cycle: $0["cycle"], cohort: $0["name"], proposalID: $0["proposalId"], at: $0["finalizedAt"], by: $0["finalizedBy"])
            }
        }
    }

    /// The decisions in force in `cycle`: each pair's latest decision among those made in
    /// the cycle and the standing ones. Accepted and locked pairs are fixed in the
    /// cycle's proposals; rejected pairs are excluded.
    public func binding(cycle: String) throws -> BindingDecisions {
        var latest: [PairKey: DecisionRecord] = [:]
        for d in try log() where d.cycle == cycle || d.standing { latest[d.pair] = d }
        return BindingDecisions(inForce: latest.filter { $0.value.action != .unlock })
    }

    /// The id of the newest proposal of `cycle` of `kind` (any kind when nil; by default one made
    /// by `propose`, not a rematch), and with `withCohort`, one that has a cohort.
    public func newestProposalID(cycle: String, kind: ProposalKind? = .propose, withCohort: Bool = false) throws -> Int64? {
        try read { db in
            var sql = "SELECT id FROM proposal WHERE cohort = ?"
            var arguments: [DatabaseValueConvertible] = [cycle]
            if let kind {
                sql += " AND kind = ?"
                arguments.append(kind.rawValue)
            }
            if withCohort { sql += " AND status != 'infeasible'" }
            return try Int64.fetchOne(db, sql: sql + " ORDER BY id DESC LIMIT 1", arguments: StatementArguments(arguments))
        }
    }

    /// That newest proposal, with its pairs.
    public func newestProposal(cycle: String, kind: ProposalKind? = .propose, withCohort: Bool = false) throws -> StoredProposal? {
        try newestProposalID(cycle: cycle, kind: kind, withCohort: withCohort).flatMap { try proposal($0) }
    }

    /// Decisions of `cycle` (or standing) recorded after proposal `id` was made: each decision
    /// names the newest proposal that existed when it was made, and ids only grow.
    public func decisions(after id: Int64, cycle: String) throws -> [DecisionRecord] {
        try log().filter { ($0.cycle == cycle || $0.standing) && ($0.proposalID ?? 0) >= id }
    }
}

/// What a proposal was made by.
public enum ProposalKind: String, Sendable {
    case propose, rematch
}

/// The decisions in force in one cycle, with the record behind each.
public struct BindingDecisions: Sendable {
    public var inForce: [PairKey: DecisionRecord]

    public var locked: Set<PairKey> { pairs(.lock) }
    public var accepted: Set<PairKey> { pairs(.accept) }
    public var rejected: Set<PairKey> { pairs(.reject) }

    func pairs(_ action: DecisionAction) -> Set<PairKey> { Set(inForce.filter { $0.value.action == action }.keys) }

    /// "locked", "accepted", "rejected", or nil.
    public func label(_ pair: PairKey) -> String? {
        switch inForce[pair]?.action {
        case .lock: "locked"
        case .accept: "accepted"
        case .reject: "rejected"
        case .unlock, nil: nil
        }
    }
}
