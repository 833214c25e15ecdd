import ArgumentParser
import Foundation
import MatchModel
import MentorMatch

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Solve what-if variants of a program and show them side by side.",
        discussion: """
            FILE is either a what-if file (Scenarios/<name>/whatif.yaml) naming a base
            program and its variants, or a program file, compared with the variants
            given by --variant. Every variant is solved to proven optimality like
            `propose`; an infeasible or invalid variant is shown with its reason and
            the others still run.

            what-if file:
              base: program.yaml
              variants:
                - name: 9 h time-zone limit
                  set: {rules.max_timezone_gap_hours: 9}
                - name: no location reach
                  set: {equity.location_reach: null}

            Examples:
              mentormatch compare Scenarios/engineering-2027/whatif.yaml
              mentormatch compare program.yaml --variant "wider gap:rules.max_timezone_gap_hours=9"
              mentormatch compare program.yaml --price-rules
            """
    )

    @Argument(help: "A what-if file, or a program file.")
    var file: String

    @Option(
        name: .customLong("variant"), parsing: .singleValue,
        help: ArgumentHelp("A variant from the command line (repeatable): NAME:KEY=VALUE[,KEY=VALUE…].", valueName: "NAME:KEY=VALUE"))
    var variants: [String] = []

    @Option(
        name: .customLong("set"), parsing: .singleValue,
        help: ArgumentHelp("Override a program key in every column, base included (repeatable).", valueName: "KEY=VALUE"))
    var sets: [String] = []

    @Flag(name: .customLong("price-rules"), help: "Also solve the base without each active rule and show what each rule costs.")
    var priceRules = false

    @Flag(name: .customLong("list-changes"), help: "List the pairs each variant adds and drops against the base.")
    var listChanges = false

    @Option(help: "Output format: table, json or csv.")
    var format: ProposalFormat = .table

    @Option(help: "Write the output to this file instead of standard output.")
    var out: String?

    @Flag(help: "Replace an existing --out file (never the program's own files or store).")
    var force = false

    @Flag(name: .shortAndLong, help: "No progress on standard error.")
    var quiet = false

    func run() throws {
        do {
            let common = try sets.map(ProgramOverride.init(parsing:))
            var extra: [WhatIfFile.Variant] = []
            for v in variants {
                guard let colon = v.firstIndex(of: ":") else {
                    throw ValidationError("--variant needs NAME:KEY=VALUE, e.g. \"wider gap:rules.max_timezone_gap_hours=9\"")
                }
                let name = String(v[..<colon])
                let sets = v[v.index(after: colon)...].split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                extra.append(.init(name: name, overrides: try sets.map(ProgramOverride.init(parsing:))))
            }
            let what: WhatIfFile
            if file.hasSuffix("whatif.yaml") || (try? WhatIfFile(path: file)) != nil {
                what = try WhatIfFile(path: file)
            } else {
                what = WhatIfFile(basePath: file, variants: [])
            }
            let outputs = OutputPolicy.forProgram(what.basePath, alsoProtecting: [file], overwrite: force)
            if let out { try outputs.check(out) }
            var compare = Compare()
            compare.propose = EngineOverrides.propose()
            compare.priceRules = priceRules
            let progressLine = ProgressLine.make(quiet: quiet, verbose: false)
            compare.progress = progressLine?.report
            defer { progressLine?.finish() }
            SolveControl.stopOnInterrupt()
            let result = try compare.run(basePath: what.basePath, variants: what.variants + extra, common: common)
            let text: String
            switch format {
            case .table:
                let toTerminal = out == nil && isatty(STDOUT_FILENO) == 1
                text = CompareRendering.table(result, listChanges: listChanges, width: toTerminal ? Terminal.width : nil)
            case .json: text = CompareRendering.json(result)
            case .csv: text = CompareRendering.csv(result)
            }
            if let out {
                try OutputFile.write(Data(text.utf8), to: out, policy: outputs)
                if !quiet { Terminal.error("wrote \(out) (\(result.columns.count) columns)") }
            } else {
                Terminal.write(text)
            }
        } catch let e as InputError {
            Terminal.report(e.diagnostics)
            throw ExitCode(1)
        }
    }
}
