import ArgumentParser
import Foundation
import MatchModel
import MatchStore
import MentorMatch

struct CohortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cohort", abstract: "Finalise cohorts.", subcommands: [Finalize.self])
    struct Finalize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Finalise the cycle: its reviewed proposal becomes the cohort, whose pairs join the history used by no_repeat_pairs.",
            discussion: """
                Takes the cycle's newest proposal made by `propose` (not a rematch), and refuses it
                when decisions were made after it (run propose to apply them) or the roster changed.
                Then start the next cycle by giving `cohort:` in program.yaml a new name: its
                proposals start with no decisions and never repeat a finalised pair.
                """)
        @Argument(help: "The program file.") var program: String
        @Option(help: "Proposal id (default: the cycle's newest made by propose).") var proposal: Int64?
        @Option(help: "Cohort name (default: the cycle's name).") var name: String?
        @OptionGroup var options: StoreOptions
        func run() throws {
            try reportingInputErrors {
                let r = try Review(programPath: program, storePath: options.store).finalize(name: name, proposalID: proposal, by: options.reviewer)
                Terminal.write(
                    "cycle '\(r.cycle)' finalised as cohort '\(r.cohort)' from proposal \(r.proposal): \(Numbers.grouped(r.pairs)) pairs join the history; "
                        + "start the next cycle by naming it with `cohort:` in \((program as NSString).lastPathComponent)\n")
            }
        }
    }
}
