import Foundation
import MatchModel
import TestSupport
import Testing

@testable import MatchStore

@Suite struct ProgramStoreTests {
    /// A store in a fresh temporary folder (removed when the folder value is released).
    func tempStore() throws -> (ProgramStore, TemporaryDirectory) {
        let dir = TemporaryDirectory("mmstore")
        return (try ProgramStore(path: dir.file("p.sqlite")), dir)
    }

    func proposal(_ pairs: [(String, String, Int)]) -> StoredProposal {
        StoredProposal(
            createdBy: "t", program: "P", cohort: "C1", policyJSON: "roster: r.csv", rosterHash: "h", status: "optimal",
            coverage: pairs.count, matchedMentees: pairs.count, totalPoints: pairs.reduce(0) { $0 + $1.2 },
            minPoints: pairs.map(\.2).min() ?? 0, engine: "glpk", seconds: 0.1,
            pairs: pairs.map { .init(mentorID: $0.0, menteeID: $0.1, points: $0.2, factorsJSON: "{}", locked: false) },
            unmatched: [("E9", ["all 2 eligible mentors are full"])])
    }

    @Test func recordsAndReadsProposalsNewestFirst() throws {
        let (store, dir) = try tempStore()
        defer { withExtendedLifetime(dir) {} }  // the folder outlives the open store
        let a = try store.record(proposal([("M1", "E1", 500)]))
        let b = try store.record(proposal([("M1", "E2", 400), ("M2", "E1", 300)]))
        #expect(try store.proposals().map(\.id) == [b, a])
        let p = try #require(try store.proposal())
        #expect(p.id == b && p.pairs.count == 2 && p.totalPoints == 700)
        #expect(p.unmatched.first?.reasons == ["all 2 eligible mentors are full"])
        #expect(try store.proposal(a)?.pairs.map(\.menteeID) == ["E1"])
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func theLatestDecisionOnAPairBinds() throws {
        let (store, dir) = try tempStore()
        defer { withExtendedLifetime(dir) {} }  // the folder outlives the open store
        let p = PairKey(mentorID: "M1", menteeID: "E1"), q = PairKey(mentorID: "M2", menteeID: "E2")
        try store.decide(.lock, pairs: [p], by: "a", reason: "x", proposalID: nil)
        try store.decide(.reject, pairs: [q], by: "a", reason: "y", proposalID: nil)
        try store.decide(.unlock, pairs: [p], by: "b", reason: "changed mind", proposalID: nil)
        try store.decide(.accept, pairs: [q], by: "b", reason: "fine after all", proposalID: nil)
        let b = try store.binding()
        #expect(b.locked.isEmpty && b.rejected.isEmpty && b.accepted == [q])
        #expect(try store.log().map(\.by) == ["a", "a", "b", "b"])
    }

    @Test func finalizedCohortsBecomeHistoryOnce() throws {
        let (store, dir) = try tempStore()
        defer { withExtendedLifetime(dir) {} }  // the folder outlives the open store
        let id = try store.record(proposal([("M1", "E1", 500), ("M2", "E2", 450)]))
        #expect(try store.finalize(cohort: "2027-H1", proposalID: id, by: "hr") == 2)
        #expect(try store.history().map { "\($0.mentorID):\($0.menteeID)" } == ["M1:E1", "M2:E2"])
        #expect(throws: StoreError.self) { try store.finalize(cohort: "2027-H1", proposalID: id, by: "hr") }
    }

    @Test func erasureIsLoggedWithoutThePerson() throws {
        let (store, dir) = try tempStore()
        defer { withExtendedLifetime(dir) {} }  // the folder outlives the open store
        let id = try store.record(proposal([("M1", "E1", 500), ("M2", "E2", 450)]))
        let other = try store.record(proposal([("M1", "E1", 500)]))
        try store.recordWritten(WrittenFile(path: "/reports/cohort.html", kind: "report", proposalID: id))
        try store.recordWritten(WrittenFile(path: "/reports/shared.html", kind: "report", proposalID: id, pseudonymised: true))
        try store.recordWritten(WrittenFile(path: "/exports/other.csv", kind: "export", proposalID: other))
        try store.decide(.lock, pairs: [PairKey(mentorID: "M2", menteeID: "E2")], by: "a", reason: "E2 asked", proposalID: nil)
        let n = try store.forget(personID: "E2", by: "dpo", reason: "request from E2")
        #expect(n.rows >= 2)
        // The files written from the proposal that named E2, and only those, are named for deletion.
        #expect(n.writtenFiles.map(\.path) == ["/reports/shared.html", "/reports/cohort.html"])
        #expect(n.writtenFiles.map(\.pseudonymised) == [true, false])
        #expect(try store.proposal(id)?.pairs.map(\.menteeID) == ["E1"])
        #expect(try store.log().isEmpty)
        let e = try store.erasures()
        #expect(e.count == 1 && e[0].reason == "request from (erased)")
    }

    @Test func thePseudonymKeyIsMadeOnceAndKept() throws {
        let (store, dir) = try tempStore()
        defer { withExtendedLifetime(dir) {} }  // the folder outlives the open store
        let k = try store.pseudonymKey()
        #expect(k.count >= 16)
        #expect(try store.pseudonymKey() == k)
        #expect(try ProgramStore(path: store.path).pseudonymKey() == k)
    }
}

/// Erasure matches whole ids, scrubs free text instead of deleting other people's records,
/// and refuses what names nobody.
@Suite struct ErasureTests {
    let fixtures = ProgramStoreTests()
    func tempStore() throws -> (ProgramStore, TemporaryDirectory) { try fixtures.tempStore() }
    func proposal(_ pairs: [(String, String, Int)]) -> StoredProposal { fixtures.proposal(pairs) }

    @Test func forgettingAnIdLeavesLongerIdsAlone() throws {
        let (store, dir) = try tempStore()
        defer { withExtendedLifetime(dir) {} }  // the folder outlives the open store
        _ = try store.record(proposal([("M1", "E4", 500), ("M2", "E40", 450)]))
        let other = PairKey(mentorID: "M2", menteeID: "E40")
        try store.decide(.reject, pairs: [other], by: "hr", reason: "E40 asked for someone else; E4 agreed", proposalID: nil)
        let n = try store.forget(personID: "E4", by: "dpo", reason: "request")
        #expect(n.rows >= 2)
        // The other pair's rejection still binds; only the whole id was scrubbed from its reason.
        #expect(try store.binding().rejected == [other])
        #expect(try store.log().map(\.reason) == ["E40 asked for someone else; (erased) agreed"])
        #expect(try store.proposal()?.pairs.map(\.menteeID) == ["E40"])
    }

    @Test func namesAreScrubbedToo() throws {
        let (store, dir) = try tempStore()
        defer { withExtendedLifetime(dir) {} }  // the folder outlives the open store
        _ = try store.record(proposal([("M1", "E1", 500), ("M2", "E2", 450)]))
        try store.decide(.lock, pairs: [PairKey(mentorID: "M2", menteeID: "E2")], by: "hr", reason: "Bo Lindqvist vouched", proposalID: nil)
        _ = try store.forget(personID: "E1", name: "Bo Lindqvist", by: "dpo", reason: "request")
        #expect(try store.log().map(\.reason) == ["(erased) vouched"])
    }

    @Test func anEmptyIdIsRefusedAndNobodyErasesNothing() throws {
        let (store, dir) = try tempStore()
        defer { withExtendedLifetime(dir) {} }  // the folder outlives the open store
        _ = try store.record(proposal([("M1", "E1", 500)]))
        try store.decide(.reject, pairs: [PairKey(mentorID: "M1", menteeID: "E1")], by: "hr", reason: "no", proposalID: nil)
        #expect(throws: StoreError.self) { try store.forget(personID: "", by: "dpo", reason: "x") }
        #expect(throws: StoreError.self) { try store.forget(personID: "  ", by: "dpo", reason: "x") }
        #expect(try store.forget(personID: "NOBODY", by: "dpo", reason: "x").rows == 0)
        #expect(try store.log().count == 1)
        #expect(try store.erasures().isEmpty)
    }

    @Test func scrubbingMatchesWholeWordsOnly() {
        #expect(ProgramStore.scrub("P00005:E40 and E4, E4x, xE4, E4", "E4") == "P00005:E40 and (erased), E4x, xE4, (erased)")
        #expect(ProgramStore.scrub("E4", "E4") == "(erased)")
        #expect(ProgramStore.scrub("", "E4") == "")
    }
}
