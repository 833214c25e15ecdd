import ArgumentParser
import Foundation
import MatchModel
import MatchStore
import MentorMatch

struct RematchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rematch",
        abstract: "Give one mentee a new mentor, keeping every other pair as it is.",
        discussion:
            "The mentee's current pair is dissolved and rejected in this cycle (with --reason), every other pair of the cycle's newest cohort is kept, and the mentee gets the best mentor still available — or the reason none is left. A pair fixed by an accept or lock moves only with --force. Run `propose` before finalising: finalisation takes the newest proposal made by propose."
    )
    @Argument(help: "The program file.") var program: String
    @Argument(help: "The mentee's id.") var mentee: String
    @Option(help: "Why the pairing failed (recorded).") var reason: String
    @Flag(help: "Also dissolve a pair that a decision fixed (accepted or locked).") var force = false
    @OptionGroup var options: StoreOptions
    func run() throws {
        try reportingInputErrors {
            let r = try Review(programPath: program, storePath: options.store)
                .rematch(EngineOverrides.propose(), menteeID: mentee, by: options.reviewer, reason: reason, force: force)
            let now = r.result.proposal.pairs.filter { $0.menteeID == mentee }
            var out =
                "dissolved: " + (r.dissolved.isEmpty ? "none (the mentee had no mentor)" : r.dissolved.map(\.description).joined(separator: ", "))
                + "\n"
            if r.result.proposal.status == .infeasible {
                out += "no cohort keeps every other pair and every rule:\n" + r.result.proposal.conflicts.map { "  - \($0)\n" }.joined()
            } else if now.isEmpty {
                let why = r.result.proposal.unmatched.first { $0.menteeID == mentee }?.reasons ?? []
                out += "no mentor is left for \(mentee): " + why.joined(separator: "; ") + "\n"
            } else {
                out += "new: " + now.map { "\($0.mentorID):\($0.menteeID) (\($0.points) points)" }.joined(separator: ", ") + "\n"
            }
            out += "recorded as proposal \(r.applied.proposalID.map(String.init) ?? "?") (status \(r.result.proposal.status.rawValue))\n"
            Terminal.write(out)
        }
    }
}
