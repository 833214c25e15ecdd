import Foundation
import MatchModel
import MentorMatch

extension ReviewRoom {
    /// The steering committee's report of a stored proposal (as `mentormatch report PROGRAM ID`).
    func report(_ id: Int64) throws -> String {
        let loaded = try ReportSource(programPath: programPath, storePath: storePath, proposalID: id).load()
        return CohortReport(proposal: loaded.proposal, program: loaded.program).html()
    }

    /// An HRIS export of a stored proposal (as `mentormatch export`): csv, json or xlsx-csv.
    func export(_ id: Int64, format: String) throws -> (text: String, type: String, download: String?) {
        guard let f = CohortExport.Format(rawValue: format) else {
            throw PageError(status: .notFound, message: "exports are csv, json or xlsx-csv, not '\(format)'")
        }
        let loaded = try ReportSource(programPath: programPath, storePath: storePath, proposalID: id).load()
        let text = CohortExport.render(CohortExport.rows(loaded, pseudonyms: nil), as: f)
        let type = f == .json ? "application/json" : "text/csv; charset=utf-8"
        return (text, type, "proposal-\(id).\(f == .json ? "json" : "csv")")
    }
}
