import ArgumentParser
import Foundation

@main
struct MentorMatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentormatch",
        abstract: "Propose provably optimal mentor–mentee cohorts for a mentorship program.",
        discussion: """
            A program is a folder with a roster (roster.csv, an HRIS export), optional side
            files (preferences.csv, exclusions.csv, history.csv, org.csv) and a policy
            (program.yaml) that names them. Start one with `mentormatch init DIR`, or try
            the sample:

              mentormatch check   Scenarios/engineering-2027/program.yaml
              mentormatch propose Scenarios/engineering-2027/program.yaml

            Every proposal is solved to proven optimality — first the most mentees
            matched (high priority counts twice), then the best total fit — by a
            network-flow engine with an optimality certificate, or by GLPK when the
            program has equity rules. Then the cycle:

              review show|accept|reject|lock   decide on pairs (recorded with who and why)
              propose                          again: decisions are respected
              rematch MENTEE                   one failed pairing, everyone else kept
              cohort finalize                  pairs become history (no repeats next cycle);
                                               then rename `cohort:` to start the next cycle
              compare / explain / report       what-ifs, reasons, a shareable report
              serve                            all of it in the browser, for the people deciding
            """,
        subcommands: [
            InitCommand.self, Propose.self, Check.self, ReviewCommand.self, RematchCommand.self, CohortCommand.self, ForgetCommand.self,
            LogCommand.self, ExplainCommand.self, CompareCommand.self, ReportCommand.self, ExportCommand.self, Serve.self, Generate.self
        ]
    )
}
