import Foundation
import GRDB
import MatchModel
import TestSupport
import Testing

@testable import MatchStore

/// A store written before cycles existed (schema v3) opens into cycles: each decision belongs
/// to the cycle of the proposal it reviewed, rematches are told apart, finalised cohorts know
/// their cycle, and a new cycle starts with no binding decisions.
@Suite struct CycleMigrationTests {
    @Test func aStoreFromBeforeCyclesIsMigrated() throws {
        let dir = TemporaryDirectory("mmcycles")
        let path = dir.file("old.sqlite")
        let old = try DatabaseQueue(path: path)
        try ProgramStore.migrator.migrate(old, upTo: "v3: written files (for erasure)")
        try old.write { db in
            func proposal(_ id: Int, _ cohort: String, _ at: String, note: String = "") throws {
                try db.execute(
                    sql: """
                        INSERT INTO proposal (id, createdAt, createdBy, program, cohort, policy, rosterHash, status, coverage,
                          matchedMentees, totalPoints, minPoints, engine, seconds, note)
                        VALUES (?, ?, 'a', 'P', ?, '', 'h', 'optimal', 1, 1, 100, 100, 'network', 0.1, ?)
                        """, arguments: [id, at, cohort, note])
                try db.execute(sql: "INSERT INTO proposalPair VALUES (?, 'M1', 'E1', 100, '{}', 0)", arguments: [id])
            }
            func decision(_ action: String, _ mentee: String, _ at: String, _ proposal: Int?) throws {
                try db.execute(
                    sql: """
                        INSERT INTO decision (mentorId, menteeId, action, decidedBy, decidedAt, reason, proposalId)
                        VALUES ('M1', ?, ?, 'b', ?, 'why', ?)
                        """, arguments: [mentee, action, at, proposal])
            }
            try decision("lock", "E0", "2026-01-01T00:00:00Z", nil)  // before any proposal: the first proposal's cycle
            try proposal(1, "H1", "2026-01-02T00:00:00Z")
            try decision("accept", "E1", "2026-01-03T00:00:00Z", 1)
            try proposal(2, "H1", "2026-01-04T00:00:00Z", note: "rematch E1")
            try db.execute(sql: "INSERT INTO cohort (name, proposalId, finalizedAt, finalizedBy) VALUES ('first', 1, '2026-01-05T00:00:00Z', 'c')")
            try db.execute(sql: "INSERT INTO cohortPair VALUES (1, 'M1', 'E1')")
            try proposal(3, "H2", "2026-01-06T00:00:00Z")
            try decision("reject", "E2", "2026-01-07T00:00:00Z", 3)
        }
        try old.close()

        let store = try ProgramStore(path: path)
        #expect(try store.log().map(\.cycle) == ["H1", "H1", "H2"])
        #expect(try store.binding(cycle: "H1").locked == [PairKey(mentorID: "M1", menteeID: "E0")])
        #expect(try store.binding(cycle: "H1").accepted == [PairKey(mentorID: "M1", menteeID: "E1")])
        #expect(try store.binding(cycle: "H2").rejected == [PairKey(mentorID: "M1", menteeID: "E2")])
        #expect(try store.binding(cycle: "H2").locked.isEmpty)
        #expect(try store.binding(cycle: "H3").inForce.isEmpty)
        #expect(try store.proposals().map(\.kind) == [.propose, .rematch, .propose])
        #expect(try store.finalisation(of: "H1")?.cohort == "first")
        #expect(try store.newestProposal(cycle: "H1")?.id == 1, "a rematch is not what finalisation takes")
        #expect(try store.history().map(\.cohort) == ["first"])
    }

    @Test func aStandingRejectionHoldsInEveryCycleUntilLifted() throws {
        let (store, dir) = try ProgramStoreTests().tempStore()
        defer { withExtendedLifetime(dir) {} }  // the folder outlives the open store
        let pair = PairKey(mentorID: "M1", menteeID: "E1")
        try store.decide(.reject, pairs: [pair], by: "hr", reason: "conflict of interest", proposalID: nil, cycle: "H1", standing: true)
        try store.decide(.lock, pairs: [PairKey(mentorID: "M2", menteeID: "E2")], by: "hr", reason: "x", proposalID: nil, cycle: "H1")
        #expect(try store.binding(cycle: "H2").rejected == [pair])
        #expect(try store.binding(cycle: "H2").locked.isEmpty)
        try store.decide(.unlock, pairs: [pair], by: "hr", reason: "resolved", proposalID: nil, cycle: "H3", standing: true)
        #expect(try store.binding(cycle: "H1").inForce[pair] == nil)
        #expect(try store.binding(cycle: "H4").rejected.isEmpty)
    }
}
