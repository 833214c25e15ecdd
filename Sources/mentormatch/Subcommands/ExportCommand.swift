import ArgumentParser
import Foundation
import MatchModel
import MentorMatch

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a cohort for an HR system: mentor, mentee, cohort, start, end.",
        discussion: """
            Columns: mentor_id, mentor_name, mentee_id, mentee_name, cohort, start, end
            (start + duration_months), points. Formats: csv, json, or xlsx-csv (UTF-8
            BOM, CRLF, every cell quoted, cells that would run as spreadsheet formulas
            neutralised).
            """
    )
    @OptionGroup var options: ReportOptions
    @Option(help: "csv, json or xlsx-csv.") var format: CohortExport.Format = .csv
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @Flag(help: "Replace an existing --out file (never the program's own files or store).") var force = false

    func run() throws {
        try reportingInputErrors {
            let outputs = options.outputPolicy(overwrite: force)
            if let out { try outputs.check(out) }
            let (loaded, pn) = try options.load()
            let rows = CohortExport.rows(loaded, pseudonyms: pn)
            let text = CohortExport.render(rows, as: format)
            if let out {
                try OutputFile.write(Data(text.utf8), to: out, policy: outputs)
                if let id = loaded.proposalID, let review = loaded.review {
                    try review.recordWritten(out, kind: "export", proposalID: id, pseudonymised: pn != nil)
                }
                Terminal.error("wrote \(out) (\(rows.count) pairs\(loaded.proposalID.map { ", proposal \($0)" } ?? ""))")
            } else {
                Terminal.write(text)
            }
        }
    }
}
