import ArgumentParser
import Foundation
import MatchModel
import MatchStore
import MentorMatch

extension ReviewCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A proposal's pairs with names, points and factors, the decisions in force, the unmatched with reasons.")
        @Argument(help: "The program file.") var program: String
        @Argument(help: "The proposal id (default: the newest of the current cycle).") var proposal: Int64?
        @OptionGroup var options: StoreOptions
        func run() throws {
            try reportingInputErrors {
                let shown = try ReviewShow(Review(programPath: program, storePath: options.store)).load(proposalID: proposal)
                let p = shown.proposal, g = Numbers.grouped
                var out = "proposal \(p.id) — \(p.program), cycle '\(p.cohort)', made by \(p.kind.rawValue) on \(p.createdAt) by \(p.createdBy)\n"
                out +=
                    "status \(p.status): \(g(p.matchedMentees)) mentees matched, \(g(p.totalPoints)) points in all, the weakest pair \(p.minPoints)\n"
                if shown.inputsChanged {
                    out += "warning: the roster or side files changed since this proposal was made; decisions still name people by id\n"
                }
                let rows = p.pairs.map {
                    [
                        shown.who($0.mentorID), shown.who($0.menteeID), "\($0.points)", ReviewShow.factors($0.factorsJSON),
                        shown.binding.label($0.key) ?? ""
                    ]
                }
                out += "\n" + TextTable.render(header: ["mentor", "mentee", "points", "factors", "decision"], rows: rows, rightAligned: [2])
                if !p.unmatched.isEmpty {
                    out += "\nunmatched (\(g(p.unmatched.count))):\n"
                    for u in p.unmatched { out += "  \(shown.who(u.menteeID)): \(u.reasons.joined(separator: "; "))\n" }
                }
                let others = shown.otherDecisions
                if !others.isEmpty {
                    out += "\ndecisions on pairs not in this proposal:\n"
                    for (k, d) in others {
                        out +=
                            "  \(shown.who(k.mentorID)) – \(shown.who(k.menteeID)): \(shown.binding.label(k) ?? "")"
                            + "\(d.standing ? " in every cycle" : "") by \(d.by): \(d.reason)\n"
                    }
                }
                Terminal.write(out)
            }
        }
    }
}
