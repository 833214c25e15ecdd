import ArgumentParser
import Foundation
import MentorMatch

/// Where the program store lives and who is deciding.
struct StoreOptions: ParsableArguments {
    @Option(help: "The program store (default: PROGRAM's name with .mentormatch.sqlite, beside it).")
    var store: String?

    @Option(help: "Who decides (default: the OS user).")
    var by: String?

    var reviewer: String {
        by ?? ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? Review.currentUser
    }
}
