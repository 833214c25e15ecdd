import ArgumentParser
import Foundation
import MatchModel
import MatchStore
import MentorMatch

struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase a person from the store (right to erasure).",
        discussion:
            "Deletes every record of PERSON — proposal pairs, unmatched entries, decisions, cohort pairs — replaces their id and roster name with '(erased)' wherever free text names them (other decisions' reasons, notes), then compacts the database file so no trace remains in it. Ids match whole: erasing E4 leaves E40 alone. The erasure is logged with who, when and why, never whom. Files outside the store (the roster, side files, reports and exports already written) are not touched: remove the person there too."
    )
    @Argument(help: "The program file.") var program: String
    @Argument(help: "The person's id.") var person: String
    @Option(help: "Why (recorded, without the person's data).") var reason: String
    @OptionGroup var options: StoreOptions
    func run() throws {
        try reportingInputErrors {
            let erasure = try Review(programPath: program, storePath: options.store).forget(personID: person, by: options.reviewer, reason: reason)
            let n = erasure.rows
            Terminal.write("erased: \(n) record\(n == 1 ? "" : "s") deleted or scrubbed and the store compacted\n")
            let named = erasure.writtenFiles.filter { !$0.pseudonymised }
            if !named.isEmpty {
                Terminal.write("files written earlier from proposals that named \(person) (delete them, or write them again):\n")
                for f in named { Terminal.write("  \(f.path)  (\(f.kind) from proposal \(f.proposalID), \(f.writtenAt))\n") }
            }
            let pseudonymised = erasure.writtenFiles.count - named.count
            if pseudonymised > 0 {
                Terminal.write(
                    "\(pseudonymised) pseudonymised file\(pseudonymised == 1 ? "" : "s") also came from those proposals; they hold no name or id\n")
            }
            Terminal.error(
                "note: the roster and the side files (preferences, exclusions, history, org) still hold \(person), "
                    + "and so may copies of outputs the store never saw (standard output, files moved since): remove the person there too")
        }
    }
}
