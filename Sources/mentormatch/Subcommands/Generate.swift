import ArgumentParser
import Foundation
import MatchModel
import MentorMatch
import ProgramGenerator

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic synthetic program of any size (SPEC 8).",
        discussion: """
            Writes roster.csv (an org chart, departments, sites across time zones,
            languages, skills, equity attributes), preferences.csv, exclusions.csv,
            history.csv, org.csv and program.yaml into DIR. The same seed always
            writes the same bytes, so anyone can reproduce a benchmark.

            Example:
              mentormatch generate --mentees 3000 --mentors 1000 --seed 7 --out /tmp/p3k
              mentormatch propose /tmp/p3k/program.yaml
              mentormatch generate --mentees 400 --mentors 140 --seed 1 --binding --out /tmp/p400
            """
    )

    @Option(help: "Number of mentees.") var mentees: Int
    @Option(help: "Number of mentors.") var mentors: Int
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Folder to write into (created if needed).") var out: String
    @Flag(help: "Replace the files of an earlier program in the folder.") var force = false
    @Flag(help: "Include every equity rule in program.yaml.") var equity = false
    @Flag(
        help: ArgumentHelp(
            "Every equity rule at tolerances that bind (implies --equity).",
            discussion:
                "Attributes are correlated with site and department, as in real companies, and mentors sit at HQ more often, so the best cohort without the rules breaks them."
        ))
    var binding = false

    func validate() throws {
        guard mentees >= 0, mentors >= 0, mentees + mentors > 0 else {
            throw ValidationError("--mentees and --mentors must be 0 or more, and not both 0")
        }
        guard mentees + mentors <= 5_000_000 else { throw ValidationError("at most 5,000,000 people") }
    }

    func run() throws {
        do {
            try RosterGenerator(mentees: mentees, mentors: mentors, seed: seed, equity: equity, binding: binding).write(to: out, overwrite: force)
        } catch let e as InputError {
            Terminal.report(e.diagnostics)
            throw ExitCode(1)
        }
        Terminal.error("wrote \(mentees) mentees and \(mentors) mentors to \(out)")
    }
}
