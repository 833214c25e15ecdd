import ArgumentParser
import Foundation
import MatchModel
import MentorMatch

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
        let summary: CheckProgram.Summary
        do {
            summary = try CheckProgram().run(programPath: program)
        } catch let e as InputError {
            Terminal.report(e.diagnostics, warningLimit: .max)
            let errors = e.diagnostics.filter { $0.severity == .error }.count
            Terminal.error(
                "\(errors) error\(errors == 1 ? "" : "s"), \(e.diagnostics.count - errors) warning\(e.diagnostics.count - errors == 1 ? "" : "s")")
            throw ExitCode(1)
        }
        Terminal.report(summary.warnings, warningLimit: .max)
        let p = summary.program, g = Numbers.grouped
        let warnings = summary.warnings.count
        Terminal.write(
            """
            ok: \(p.name)\(p.cohort.isEmpty ? "" : " (\(p.cohort))")
              \(g(p.people.count)) people: \(g(summary.activeMentees)) active mentees, \(g(summary.activeMentors)) active mentors
              \(g(p.preferences.count)) preferences, \(g(p.exclusions.count)) exclusions, \(g(p.history.count)) earlier pairs, \(g(p.managers.count)) manager links
              \(g(summary.eligiblePairs)) eligible pairs; \(warnings) warning\(warnings == 1 ? "" : "s")

            """)
    }
}
