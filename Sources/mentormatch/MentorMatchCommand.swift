import ArgumentParser
import Foundation

@main
struct MentorMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentormatch",
        abstract: "Propose provably optimal mentor–mentee cohorts for a mentorship program.",
        discussion: """
        A program is a folder with a roster (roster.csv, an HRIS export), optional side
        files (preferences.csv, exclusions.csv, history.csv, org.csv) and a policy
        (program.yaml) that names them. Start with:

          mentormatch check   Scenarios/engineering-2027/program.yaml
          mentormatch propose Scenarios/engineering-2027/program.yaml

        Every proposal is solved to proven optimality with GLPK: first the most
        mentees matched (high priority counts twice), then the best total fit.
        """,
        subcommands: [Propose.self, Check.self, ReviewCommand.self, RematchCommand.self, CohortCommand.self, ForgetCommand.self, LogCommand.self, ExplainCommand.self, CompareCommand.self, ReportCommand.self, ExportCommand.self, Generate.self]
    )
}
