import Foundation
import MatchModel
import MatchStore
import ProgramGenerator
import TestSupport
import Testing

@testable import MentorMatch

/// The review workflow against real SQLite files and real processes.
@Suite(.serialized) struct StoreWorkflowTests {
    /// A plain generated program (no equity rules) in a fresh folder.
    func program(mentees: Int = 60, mentors: Int = 25, seed: UInt64 = 3) throws -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        try RosterGenerator(mentees: mentees, mentors: mentors, seed: seed).write(to: dir.path)
        return dir
    }

    func pairs(_ r: Propose.Result) -> Set<PairKey> {
        Set(r.proposal.pairs.map { PairKey(mentorID: $0.mentorID, menteeID: $0.menteeID) })
    }

    @Test func proposeReviewProposeFinalizeNextCycle() throws {
        let dir = try program()
        let review = Review(programPath: dir.file("program.yaml"))
        let first = try review.propose(Propose(), by: "alice")
        let firstPairs = pairs(first.result)
        #expect(first.applied.proposalID == 1)
        let sorted = firstPairs.sorted()
        let rejected = sorted[0], kept = sorted[1]
        // A lock on an eligible pair not proposed.
        let program = try ProgramLoader.load(path: dir.file("program.yaml")).program
        let instance = MatchSolverProbe(program)
        let lock = try #require(
            instance.eligibleUnproposedPair(avoiding: firstPairs, people: [kept.mentorID, kept.menteeID, rejected.mentorID, rejected.menteeID]))
        _ = try review.decide(.reject, pairs: [rejected], by: "bob", reason: "same team")
        _ = try review.decide(.accept, pairs: [kept], by: "bob", reason: "good fit")
        _ = try review.decide(.lock, pairs: [lock], by: "carol", reason: "negotiated")
        let second = try review.propose(Propose(), by: "alice")
        let secondPairs = pairs(second.result)
        #expect(second.applied.locked == 1 && second.applied.accepted == 1 && second.applied.rejected == 1)
        #expect(!secondPairs.contains(rejected))
        #expect(secondPairs.contains(kept))
        #expect(secondPairs.contains(lock))
        #expect(second.result.proposal.pairs.first { $0.mentorID == lock.mentorID && $0.menteeID == lock.menteeID }?.locked == true)
        // The audit trail keeps who, when, why.
        let store = try review.open()
        let log = try store.log()
        #expect(log.map(\.action) == [.reject, .accept, .lock])
        #expect(log.map(\.by) == ["bob", "bob", "carol"])
        #expect(log[0].reason == "same team" && log[0].proposalID == 1)
        // Finalise; the next cycle must not repeat any finalised pair.
        let fin = try review.finalize(name: "2027-H1", proposalID: nil, by: "dana")
        #expect(fin.pairs == secondPairs.count && fin.proposal == 2)
        #expect(throws: InputError.self) { _ = try review.finalize(name: "2027-H1", proposalID: nil, by: "dana") }
        // The finalised cycle takes no more proposals; the next cycle (a new `cohort:`) starts
        // with none of the last cycle's decisions binding.
        #expect(throws: InputError.self) { _ = try review.propose(Propose(), by: "alice") }
        let yaml = try String(contentsOfFile: dir.file("program.yaml"), encoding: .utf8)
        try yaml.replacingOccurrences(of: "cohort: 2027-H1", with: "cohort: 2027-H2").write(
            toFile: dir.file("program.yaml"), atomically: true, encoding: .utf8)
        let next = try review.propose(Propose(), by: "alice")
        #expect(next.applied.cycle == "2027-H2")
        #expect(next.applied.locked + next.applied.accepted + next.applied.rejected == 0)
        #expect(next.applied.historyPairs == secondPairs.count)
        #expect(pairs(next.result).isDisjoint(with: secondPairs))
        #expect(next.result.proposal.status == .optimal)
    }

    @Test func rematchMovesExactlyOneMentee() throws {
        let dir = try program(mentees: 40, mentors: 25, seed: 5)
        let review = Review(programPath: dir.file("program.yaml"))
        let before = try review.propose(Propose())
        let old = pairs(before.result)
        let mentee = try #require(old.sorted().first).menteeID
        let r = try review.rematch(Propose(), menteeID: mentee, by: "ops", reason: "mentor left the company")
        let new = pairs(r.result)
        #expect(r.dissolved.map(\.menteeID) == [mentee])
        // Every other pair is exactly as it was.
        #expect(new.filter { $0.menteeID != mentee } == old.filter { $0.menteeID != mentee })
        // The mentee's old pair is gone (rejected), and is not proposed again.
        #expect(new.isDisjoint(with: Set(r.dissolved)))
        let log = try review.open().log()
        #expect(log.last?.action == .reject && log.last?.reason == "mentor left the company")
    }

    @Test func forgetLeavesNoByteOfThePerson() throws {
        let dir = try program()
        let review = Review(programPath: dir.file("program.yaml"))
        let r = try review.propose(Propose())
        let pair = try #require(r.result.proposal.pairs.first)
        let person = pair.menteeID
        _ = try review.decide(.lock, pairs: [PairKey(mentorID: pair.mentorID, menteeID: person)], by: "hr", reason: "asked by \(person)")
        _ = try review.propose(Propose())
        _ = try review.finalize(name: "c1", proposalID: nil, by: "hr")
        func bytes() -> Data {
            var all = Data()
            for suffix in ["", "-wal", "-shm"] { all.append(FileManager.default.contents(atPath: review.storePath + suffix) ?? Data()) }
            return all
        }
        #expect(bytes().range(of: Data(person.utf8)) != nil)
        let n = try review.forget(personID: person, by: "dpo", reason: "erasure request #7 from \(person)")
        #expect(n.rows > 0)
        #expect(bytes().range(of: Data(person.utf8)) == nil)
        let erasures = try review.open().erasures()
        #expect(erasures.count == 1 && erasures[0].by == "dpo" && !erasures[0].reason.contains(person))
        // The rest of the store still works.
        #expect(try review.open().proposals().count == 2)
    }

    @Test func twoProcessesWritingAtOnceBothSucceedOrOneIsBusy() throws {
        let dir = try program(mentees: 30, mentors: 12)
        let program = dir.file("program.yaml")
        _ = try CLI.run(["propose", program, "--quiet", "--format", "csv"])
        let loaded = try ProgramLoader.load(path: program).program
        let probe = MatchSolverProbe(loaded)
        let candidates = probe.eligiblePairs(limit: 16)
        try #require(candidates.count >= 4)
        var processes: [(Process, Pipe)] = []
        for (i, p) in candidates.enumerated() {
            let proc = Process()
            proc.executableURL = CLI.binary
            proc.arguments = ["review", i % 2 == 0 ? "reject" : "accept", program, p.description, "--reason", "concurrent \(i)"]
            let err = Pipe()
            proc.standardError = err
            proc.standardOutput = Pipe()
            try proc.run()
            processes.append((proc, err))
        }
        var succeeded = 0
        for (proc, err) in processes {
            proc.waitUntilExit()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(proc.terminationReason == .exit)
            if proc.terminationStatus == 0 { succeeded += 1 } else { #expect(text.contains("busy"), "\(text)") }
        }
        let store = try ProgramStore(path: ProgramStore.defaultPath(forProgram: program))
        #expect(try store.log().count == succeeded)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func aProposeKilledMidSolveLeavesTheStoreAsItWas() throws {
        let dir = try program(mentees: 3000, mentors: 1000, seed: 9)
        let program = dir.file("program.yaml")
        // Equity rules make the GLPK model slow enough to kill in mid-solve.
        let text = try String(contentsOfFile: program, encoding: .utf8)
            .replacingOccurrences(
                of: "objective: coverage_then_score", with: "equity: {department_access: {tolerance: 0.0}}\nobjective: coverage_then_score")
        try text.write(toFile: program, atomically: true, encoding: .utf8)
        let review = Review(programPath: program)
        let store = try review.open()
        try store.decide(.reject, pairs: [PairKey(mentorID: "P00001", menteeID: "P01001")], by: "x", reason: "before", proposalID: nil)
        let before = try store.log().count
        let proc = Process()
        proc.executableURL = CLI.binary
        proc.arguments = ["propose", program, "--quiet"]
        proc.standardOutput = Pipe()
        proc.standardError = Pipe()
        try proc.run()
        Thread.sleep(forTimeInterval: 2.5)
        kill(proc.processIdentifier, SIGKILL)
        proc.waitUntilExit()
        #expect(proc.terminationReason == .uncaughtSignal)
        let after = try ProgramStore(path: review.storePath)
        #expect(try after.proposals().isEmpty)
        #expect(try after.log().count == before)
        #expect(try after.integrityCheck() == "ok")
    }

    @Test func explainAStoredProposal() throws {
        let dir = try program(mentees: 30, mentors: 12, seed: 4)
        let review = Review(programPath: dir.file("program.yaml"))
        let r = try review.propose(Propose())
        let pair = try #require(r.result.proposal.pairs.first)
        let e = try Explain().run(
            programPath: dir.file("program.yaml"), menteeID: pair.menteeID, mentorID: nil,
            stored: (review, r.applied.proposalID))
        #expect(e.mentee.chosen.map(\.mentorID) == [pair.mentorID])
        #expect(e.mentee.chosen.first?.points == pair.points)
        #expect(Explain.render(e).contains("matched with"))
    }

    @Test func aFileThatIsNotAStoreIsAClearError() throws {
        let dir = TemporaryDirectory()
        dir.write("not.sqlite", "hello, this is not a database, just text that is long enough to be read as a header…")
        #expect(throws: StoreError.self) { _ = try ProgramStore(path: dir.file("not.sqlite")) }
    }
}

/// Pairs to decide on, found with the solver's own eligibility.
struct MatchSolverProbe {
    let program: Program
    init(_ program: Program) { self.program = program }

    func eligiblePairs(limit: Int) -> [PairKey] {
        let i = MatchSolverBridge.instance(program)
        var out: [PairKey] = []
        for (es, e) in i.mentees.enumerated() {
            for (ms, m) in i.mentors.enumerated() where i.isEligible(mentor: ms, mentee: es) {
                out.append(PairKey(mentorID: program.people[m].id, menteeID: program.people[e].id))
                if out.count >= limit { return out }
                break
            }
        }
        return out
    }

    func eligibleUnproposedPair(avoiding: Set<PairKey>, people: Set<String>) -> PairKey? {
        let i = MatchSolverBridge.instance(program)
        for (es, e) in i.mentees.enumerated() where !people.contains(program.people[e].id) {
            for (ms, m) in i.mentors.enumerated() where i.isEligible(mentor: ms, mentee: es) && !people.contains(program.people[m].id) {
                let key = PairKey(mentorID: program.people[m].id, menteeID: program.people[e].id)
                if !avoiding.contains(key) { return key }
            }
        }
        return nil
    }
}
