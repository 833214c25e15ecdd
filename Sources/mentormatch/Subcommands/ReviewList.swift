import ArgumentParser
import Foundation
import MatchModel
import MatchStore
import MentorMatch

extension ReviewCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The cycle's proposals, newest first, with status and headline figures.")
        @Argument(help: "The program file.") var program: String
        @Flag(help: "Every cycle's proposals, not only the current cycle's.") var all = false
        @OptionGroup var options: StoreOptions
        func run() throws {
            try reportingInputErrors {
                let store = try Review(programPath: program, storePath: options.store).open()
                let cycle = ProgramFile.lenient(path: program)?.cohort
                let shown = try store.proposals().filter { all || cycle == nil || $0.cohort == cycle }
                let rows = shown.map { p in
                    [
                        "\(p.id)", p.cohort, p.kind.rawValue, p.createdAt, p.createdBy, p.status, Numbers.grouped(p.matchedMentees),
                        Numbers.grouped(p.totalPoints), Numbers.grouped(p.minPoints), p.note
                    ]
                }
                if rows.isEmpty {
                    Terminal.write("no proposals\(all || cycle == nil ? "" : " in cycle '\(cycle!)'") yet; run `mentormatch propose \(program)`\n")
                    return
                }
                Terminal.write(
                    TextTable.render(
                        header: ["id", "cycle", "made by", "when", "who", "status", "matched", "points", "weakest", "note"],
                        rows: rows, rightAligned: [0, 6, 7, 8]))
            }
        }
    }
}
