import ArgumentParser
import Foundation
import MatchModel
import MentorMatch

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one mentee's match (or one pair) on a fresh solve.",
        discussion: """
        Solves PROGRAM like `propose`, then shows for MENTEE: the chosen mentor's
        points factor by factor, the next-best eligible mentors and why each was
        not chosen (full, fewer points, would break a rule), every ineligible
        mentor grouped by the rule that excludes them, and — when unmatched —
        the smallest rule changes that would admit mentors.

        Examples:
          mentormatch explain program.yaml E0042
          mentormatch explain program.yaml E0042 --mentor M0007
        """
    )

    @Argument(help: "The program file.") var program: String
    @Argument(help: "The mentee's id.") var mentee: String
    @Option(help: "Also explain this mentor–mentee pair.") var mentor: String?
    @Option(help: "Explain a stored proposal (its id; 0 for the newest) instead of solving afresh.") var proposal: Int64?
    @OptionGroup var storeOptions: StoreOptions
    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Override a program key (repeatable).", valueName: "KEY=VALUE"))
    var sets: [String] = []

    func run() throws {
        do {
            let stored = proposal.map { (Review(programPath: program, storePath: storeOptions.store), $0 == 0 ? nil : Optional($0)) }
            var explain = Explain()
            explain.propose = EngineOverrides.propose()
            let r = try explain.run(programPath: program, menteeID: mentee, mentorID: mentor,
                                      overrides: sets.map(ProgramOverride.init(parsing:)), stored: stored)
            Terminal.write(Explain.render(r))
        } catch let e as InputError {
            Terminal.report(e.diagnostics)
            throw ExitCode(1)
        }
    }
}
