import ArgumentParser
import Foundation
import MatchModel
import MatchSolver

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a program and its files without solving.",
        discussion: """
            Reports every problem at once as FILE:LINE:COLUMN: error|warning: message —
            duplicate ids, an org chart with a cycle, unknown time zones, levels out of
            range, malformed side-file rows, unknown program keys (with did-you-mean)…
            Ids in side files that name nobody are warnings. Exits 1 when there is an error.
            """
    )

    @Argument(help: "The program file (program.yaml).")
    var program: String

    func run() throws {
        let loaded: ProgramLoader.Loaded
        do {
            loaded = try ProgramLoader.load(path: program)
        } catch let e as InputError {
            Terminal.report(e.diagnostics, warningLimit: .max)
            let errors = e.diagnostics.filter { $0.severity == .error }.count
            Terminal.error(
                "\(errors) error\(errors == 1 ? "" : "s"), \(e.diagnostics.count - errors) warning\(e.diagnostics.count - errors == 1 ? "" : "s")")
            throw ExitCode(1)
        }
        Terminal.report(loaded.warnings, warningLimit: .max)
        let instance = MatchInstance(program: loaded.program)
        // Counted, not listed: a 100k × 25k roster has 713 M eligible pairs (listing them took a minute and 8 GB).
        let eligible = PairScanner(instance).countEligible()
        let p = loaded.program
        Terminal.write(
            """
            ok: \(p.name)\(p.cohort.isEmpty ? "" : " (\(p.cohort))")
              \(p.people.count) people: \(instance.mentees.count) active mentees, \(instance.mentors.count) active mentors
              \(p.preferences.count) preferences, \(p.exclusions.count) exclusions, \(p.history.count) earlier pairs, \(p.managers.count) manager links
              \(eligible) eligible pairs; \(loaded.warnings.count) warning\(loaded.warnings.count == 1 ? "" : "s")

            """)
    }
}
