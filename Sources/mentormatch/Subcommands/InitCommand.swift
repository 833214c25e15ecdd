import ArgumentParser
import Foundation
import MentorMatch

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a program: a commented program.yaml and header-only CSV files to fill.",
        discussion: """
            Writes into DIR (created if needed): program.yaml with every key, its default
            and what it means, and roster.csv, preferences.csv, exclusions.csv,
            history.csv and org.csv with their header rows. Fill the roster from your HR
            system (one row per person), delete the side files you do not use (and their
            lines in program.yaml), then:

              mentormatch check DIR/program.yaml
              mentormatch propose DIR/program.yaml
            """
    )

    @Argument(help: "The folder for the new program.") var directory: String
    @Flag(help: "Replace files already in the folder.") var force = false

    func run() throws {
        try reportingInputErrors {
            let written = try ProgramTemplate.write(to: directory, overwrite: force)
            for path in written { Terminal.error("wrote \(path)") }
            Terminal.error(
                "next: fill \((directory as NSString).appendingPathComponent("roster.csv")), then `mentormatch check \((directory as NSString).appendingPathComponent("program.yaml"))`"
            )
        }
    }
}
