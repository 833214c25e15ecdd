import ArgumentParser
import Foundation
import MatchModel
import MentorMatch

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one mentee's match (or one pair) in the cycle's newest proposal.",
        discussion: """
            Reads the newest proposal of the program's cycle from the store — the one
            `propose` recorded, with its decisions — or, when there is none (or with
            --fresh or --set), solves like `propose` and says so. Then shows for MENTEE: the chosen mentor's
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
    @Option(help: "Explain this stored proposal (its id) instead of the cycle's newest.") var proposal: Int64?
    @Flag(help: "Solve afresh instead of reading the store (without its decisions).") var fresh = false
    @OptionGroup var storeOptions: StoreOptions
    @Option(
        name: .customLong("set"), parsing: .singleValue,
        help: ArgumentHelp("Override a program key (repeatable).", valueName: "KEY=VALUE"))
    var sets: [String] = []

    func run() throws {
        do {
            let review = Review(programPath: program, storePath: storeOptions.store)
            var explain = Explain()
            explain.propose = EngineOverrides.propose()
            var stored: (review: Review, proposalID: Int64?)?
            if let proposal {
                stored = (review, proposal == 0 ? nil : proposal)
            } else if !fresh && sets.isEmpty && FileManager.default.fileExists(atPath: review.storePath),
                let cycle = ProgramFile.lenient(path: program)?.cohort,
                let id = try review.open().newestProposalID(cycle: cycle),
                let p = try review.open().header(of: id)
            {
                stored = (review, p.id)
                Terminal.error("explaining proposal \(p.id) of cycle '\(cycle)', as recorded on \(p.createdAt) (--fresh to solve afresh)")
            } else {
                Terminal.error(
                    sets.isEmpty
                        ? "no stored proposal in this cycle: solving afresh, without review decisions"
                        : "a variant (--set): solved afresh, without review decisions")
            }
            let r = try explain.run(
                programPath: program, menteeID: mentee, mentorID: mentor,
                overrides: sets.map(ProgramOverride.init(parsing:)), stored: stored)
            Terminal.write(Explain.render(r))
        } catch let e as InputError {
            Terminal.report(e.diagnostics)
            throw ExitCode(1)
        }
    }
}
