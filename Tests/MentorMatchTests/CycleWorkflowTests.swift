import Foundation
import MatchModel
import ProgramGenerator
import TestSupport
import Testing

@testable import MentorMatch

/// A program's cycles through the command line, as an owner lives them, on temporary copies:
/// propose → decide (lock, accept, reject, reject for good) → propose → finalise → next cycle → propose.
@Suite(.serialized) struct CycleWorkflowTests {
    func json(_ r: CLI.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
    }

    func pairs(_ doc: [String: Any]) -> [(mentor: String, mentee: String, decision: String?)] {
        ((doc["pairs"] as? [[String: Any]]) ?? []).map { ($0["mentor"] as! String, $0["mentee"] as! String, $0["decision"] as? String) }
    }

    @Test func theWholeCycleAndTheNext() throws {
        let dir = TemporaryDirectory()
        try RosterGenerator(mentees: 40, mentors: 16, seed: 6).write(to: dir.path)
        let program = dir.file("program.yaml")
        let yaml = try String(contentsOfFile: program, encoding: .utf8)
        let cycle = try #require(yaml.firstMatch(of: /cohort: (\S+)/).map { String($0.1) })

        let first = try json(CLI.run(["propose", program, "--format", "json", "--by", "alice"]))
        let firstPairs = pairs(first)
        #expect(firstPairs.count >= 4)
        let locked = "\(firstPairs[0].mentor):\(firstPairs[0].mentee)"
        let accepted = "\(firstPairs[1].mentor):\(firstPairs[1].mentee)"
        let rejected = "\(firstPairs[2].mentor):\(firstPairs[2].mentee)"
        let always = "\(firstPairs[3].mentor):\(firstPairs[3].mentee)"
        for (verb, pair, extra) in [
            ("lock", locked, [String]()), ("accept", accepted, []), ("reject", rejected, []), ("reject", always, ["--always"])
        ] {
            let r = try CLI.run(["review", verb, program, pair, "--reason", "\(verb) in review", "--by", "bob"] + extra)
            #expect(r.status == 0 && r.stderr.contains("in cycle '\(cycle)'"), "\(verb): \(r.stderr)")
        }
        // Unknown ids are named with the nearest ones; an undecided pair has nothing to unlock.
        let unknown = try CLI.run(["review", "lock", program, "\(firstPairs[0].mentor)X:\(firstPairs[0].mentee)", "--reason", "x"])
        #expect(
            unknown.status == 1
                && unknown.stderr.contains("no person '\(firstPairs[0].mentor)X' in the roster; nearest ids: \(firstPairs[0].mentor)"),
            "\(unknown.stderr)")
        #expect(unknown.stderr.count < 2_000)
        let undecided = try CLI.run(["review", "unlock", program, "\(firstPairs[4].mentor):\(firstPairs[4].mentee)", "--reason", "x"])
        #expect(undecided.status == 1 && undecided.stderr.contains("nothing to unlock"))

        let secondRun = try CLI.run(["propose", program, "--format", "json", "--by", "alice"])
        #expect(
            secondRun.stderr.contains("cycle '\(cycle)': applied 1 locked, 1 accepted and 2 rejected pairs (1 rejected in every cycle)"),
            "\(secondRun.stderr)")
        let second = pairs(try json(secondRun))
        func find(_ key: String) -> (mentor: String, mentee: String, decision: String?)? { second.first { "\($0.mentor):\($0.mentee)" == key } }
        #expect(find(locked)?.decision == "locked")
        #expect(find(accepted)?.decision == "accepted")
        #expect(find(rejected) == nil && find(always) == nil)
        #expect(second.filter { $0.decision != nil }.count == 2)

        // review show: names beside ids, whole factor names, the decisions in force.
        let shown = try ReviewShow(Review(programPath: program)).load(proposalID: nil)
        #expect(shown.binding.label(PairKey(mentorID: firstPairs[1].mentor, menteeID: firstPairs[1].mentee)) == "accepted")
        #expect(shown.binding.label(PairKey(mentorID: firstPairs[0].mentor, menteeID: firstPairs[0].mentee)) == "locked")
        #expect(shown.otherDecisions.map(\.pair.description).sorted() == [rejected, always].sorted())
        let show = try CLI.run(["review", "show", program])
        #expect(show.status == 0 && show.stdout.contains("other department") && show.stdout.contains("accepted"), "\(show.stderr)")
        #expect(show.stdout.contains("in every cycle"))
        #expect(show.stdout.contains(shown.who(firstPairs[0].mentor)) && shown.who(firstPairs[0].mentor) != firstPairs[0].mentor)

        // A rematch is not what finalisation takes, and a locked pair moves only with --force.
        let lockedMentee = String(locked.split(separator: ":")[1])
        let refused = try CLI.run(["rematch", program, lockedMentee, "--reason", "clash"])
        #expect(refused.status == 1 && refused.stderr.contains("--force"), "\(refused.stderr)")
        let mentor = try CLI.run(["rematch", program, firstPairs[0].mentor, "--reason", "x"])
        #expect(mentor.status == 1 && mentor.stderr.contains("is a mentor"), "\(mentor.stderr)")
        let moved = String(accepted.split(separator: ":")[1])
        #expect(try CLI.run(["rematch", program, moved, "--reason", "clash", "--force"]).status == 0)
        let stale = try CLI.run(["cohort", "finalize", program])
        #expect(stale.status == 1 && stale.stderr.contains("decisions were made after proposal"), "\(stale.stderr)")
        #expect(try CLI.run(["propose", program, "--quiet"]).status == 0)
        let fin = try CLI.run(["cohort", "finalize", program, "--by", "dana"])
        #expect(fin.status == 0 && fin.stdout.contains("cycle '\(cycle)' finalised"), "\(fin.stderr)")

        // The same cycle again is refused with what to do; the next cycle starts clean.
        let again = try CLI.run(["propose", program])
        #expect(again.status == 1 && again.stderr.contains("was finalised") && again.stderr.contains("cohort:"), "\(again.stderr)")
        try yaml.replacingOccurrences(of: "cohort: \(cycle)", with: "cohort: next-cycle").write(toFile: program, atomically: true, encoding: .utf8)
        let nextRun = try CLI.run(["propose", program, "--format", "json"])
        #expect(nextRun.status == 0, "\(nextRun.stderr)")
        #expect(
            nextRun.stderr.contains("cycle 'next-cycle': applied 0 locked, 0 accepted and 1 rejected pair (1 rejected in every cycle)"),
            "\(nextRun.stderr)")
        let next = pairs(try json(nextRun))
        #expect(next.allSatisfy { $0.decision == nil })
        let finalised = try finalisedPairs(dir)
        #expect(!finalised.isEmpty)
        #expect(next.allSatisfy { !finalised.contains("\($0.mentor):\($0.mentee)") }, "a finalised pair repeated")
        #expect(!next.contains { "\($0.mentor):\($0.mentee)" == always }, "a standing rejection lapsed")

        // The audit trail has it all, in order.
        let log = try CLI.run(["log", program])
        for word in ["proposal", "decision", "rematch", "finalisation", "lock \(locked)", "reject \(always) (every cycle)", "next-cycle"] {
            #expect(log.stdout.contains(word), "log lacks \(word)")
        }
    }

    /// The pairs of the finalised cohort, read back through `review show` of the proposal finalised.
    func finalisedPairs(_ dir: TemporaryDirectory) throws -> Set<String> {
        let store = try Review(programPath: dir.file("program.yaml")).open()
        return Set(try store.history().map { "\($0.mentorID):\($0.menteeID)" })
    }
}
