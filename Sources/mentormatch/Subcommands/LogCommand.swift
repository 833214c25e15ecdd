import ArgumentParser
import Foundation
import MatchModel
import MatchStore
import MentorMatch

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "The audit trail: proposals, rematches, decisions, finalisations and erasures, oldest first.")
    @Argument(help: "The program file.") var program: String
    @OptionGroup var options: StoreOptions
    func run() throws {
        try reportingInputErrors {
            let store = try Review(programPath: program, storePath: options.store).open()
            let rows = try store.auditTrail().map { [$0.at, $0.by, $0.kind == .erasure ? "" : $0.cycle, $0.kind.rawValue, $0.what, $0.reason] }
            Terminal.write(
                rows.isEmpty ? "nothing recorded yet\n" : TextTable.render(header: ["when", "who", "cycle", "kind", "what", "why"], rows: rows))
        }
    }
}
