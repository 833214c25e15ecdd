import ArgumentParser
import Foundation
import MatchModel
import MentorMatch

extension CohortExport.Format: ExpressibleByArgument {}

struct ReportOptions: ParsableArguments {
    @Argument(help: "The program file.") var program: String
    @Argument(help: "The proposal id (default: the cycle's finalised cohort, else its newest; a fresh proposal when the cycle has none).")
    var proposal: Int64?
    @Flag(help: "Replace names and ids with stable pseudonyms, for sharing outside HR.") var pseudonymize = false
    @Flag(help: "Solve afresh instead of reading the store.") var fresh = false
    @OptionGroup var store: StoreOptions

    func outputPolicy(overwrite: Bool, alsoProtecting extra: [String] = []) -> OutputPolicy {
        OutputPolicy.forProgram(program, storePath: store.store, alsoProtecting: extra, overwrite: overwrite)
    }

    func load() throws -> (ReportSource.Loaded, Pseudonyms?) {
        let loaded = try ReportSource(programPath: program, storePath: store.store, proposalID: proposal, fresh: fresh).load()
        var pn: Pseudonyms?
        if pseudonymize {
            let review = loaded.review ?? Review(programPath: program, storePath: store.store)
            pn = Pseudonyms(key: try review.open().pseudonymKey())
        }
        return (loaded, pn)
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of a cohort (charts, equity aggregates, pairs).",
        discussion: """
            One HTML file, no network: headline figures and the solve's proof, the
            distribution of pair points, the factor mix, working-hours overlap, mentor
            load against capacity, match rates per equity group, department and
            location against the overall rate (groups smaller than --min-group-size
            merged or left out), the pairs and the unmatched; with --compare, the
            what-if variants side by side. Charts are SVG with alt text, readable in
            grey-scale, and the page prints cleanly to PDF.

            Examples:
              mentormatch report program.yaml --out report.html
              mentormatch report program.yaml 3 --pseudonymize --out report.html
              mentormatch report program.yaml --compare whatif.yaml --out report.html
            """
    )
    @OptionGroup var options: ReportOptions
    @Option(help: "The HTML file to write.") var out: String
    @Flag(help: "Replace an existing --out file (never the program's own files or store).") var force = false
    @Option(help: "A what-if file to include, variants side by side.") var compare: String?
    @Option(help: "Smallest group shown on its own.") var minGroupSize: Int = 5

    func validate() throws {
        if minGroupSize < 1 { throw ValidationError("--min-group-size must be at least 1") }
    }

    func run() throws {
        try reportingInputErrors {
            let outputs = options.outputPolicy(overwrite: force, alsoProtecting: compare.map { [$0] } ?? [])
            try outputs.check(out)
            let (loaded, pn) = try options.load()
            var report = CohortReport(proposal: loaded.proposal, program: loaded.program)
            report.minimumGroupSize = minGroupSize
            report.pseudonyms = pn
            if let compare {
                let w = try WhatIfFile(path: compare)
                report.comparison = try Compare().run(basePath: w.basePath, variants: w.variants)
            }
            try OutputFile.write(Data(report.html().utf8), to: out, policy: outputs)
            if let id = loaded.proposalID, let review = loaded.review {
                try review.recordWritten(out, kind: "report", proposalID: id, pseudonymised: pn != nil)
            }
            Terminal.error("wrote \(out)\(loaded.proposalID.map { " (proposal \($0))" } ?? "")")
        }
    }
}
