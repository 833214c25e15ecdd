import ArgumentParser
import Foundation
import MatchModel
import MatchStore
import MentorMatch

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review proposals: list, show, and accept / reject / lock / unlock pairs.",
        discussion: """
            A program runs in cycles, named by `cohort:` in program.yaml. Decisions are
            recorded in the program store for the current cycle, with who (--by), when
            and why (--reason). The next `propose` in the cycle fixes locked and
            accepted pairs and excludes rejected ones, and says so; a new cycle starts
            with no decisions, except rejections made with --always.

            accept   keep a proposed pair      lock    fix a negotiated pair
            reject   never propose the pair    unlock  lift the decision in force

            Examples:
              mentormatch review list program.yaml
              mentormatch review show program.yaml
              mentormatch review lock program.yaml M12:E40 --reason "agreed with both managers"
              mentormatch review reject program.yaml M3:E7 --reason "same project team" --always
            """,
        subcommands: [List.self, Show.self, Decide.self, Accept.self, Reject.self, Lock.self, Unlock.self]
    )
}
