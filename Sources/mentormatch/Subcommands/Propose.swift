import ArgumentParser
import Foundation
import MatchModel
import MatchSolver
import MentorMatch

extension ProposalFormat: ExpressibleByArgument {}
extension EngineChoice: ExpressibleByArgument {}

struct Propose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Propose a cohort for a program and prove it optimal.",
        discussion: """
            Reads PROGRAM (program.yaml) and the files it names, scores every eligible
            mentor–mentee pair (SPEC 3), and proposes the cohort that matches the most
            mentees (high-priority ones count twice), then has the most points in all
            (or, with objective: coverage_then_fairness, the strongest weakest pair
            first). A network-flow engine proves its answer with a certificate; with
            equity rules that bind, network first prices them into the flow and GLPK
            settles what is left. Status is 'optimal' only when that was proven; else
            the proof says what is (a bound and the gap).

            The store beside the program records the proposal in the program's cycle
            (`cohort:`) and applies the cycle's review decisions.

            Exit codes: 0 a proposal (optimal or feasible), 1 input error,
            2 infeasible (the conflicting rules are named), 3 time limit with no
            solution. Ctrl-C stops the solve and keeps the best cohort found.

            Examples:
              mentormatch propose program.yaml
              mentormatch propose program.yaml --format json --out proposal.json
              mentormatch propose program.yaml --write-model model.lp
              mentormatch propose program.yaml --lock M12:E40 --reject M3:E7
            """
    )

    @Argument(help: "The program file (program.yaml).")
    var program: String

    @Option(help: "Output format: table (for people), json (SPEC 5.1) or csv (mentor,mentee,points).")
    var format: ProposalFormat = .table

    @Option(help: "Write the output to this file instead of standard output (written whole or not at all).")
    var out: String?

    @Flag(help: "Replace an existing --out or --write-model file (never the program's own files or store).")
    var force = false

    @Option(
        name: .customLong("write-model"),
        help: "Also write the final integer program handed to the solver (.mps free MPS, .lp CPLEX LP).")
    var writeModel: String?

    @Option(
        name: .customLong("lock"), parsing: .singleValue,
        help: ArgumentHelp("Fix a pair into the cohort (repeatable).", valueName: "MENTOR:MENTEE"))
    var locks: [String] = []

    @Option(
        name: .customLong("reject"), parsing: .singleValue,
        help: ArgumentHelp("Forbid a pair (repeatable).", valueName: "MENTOR:MENTEE"))
    var rejects: [String] = []

    @Option(
        name: .customLong("set"), parsing: .singleValue,
        help: ArgumentHelp("Override a program key for this run (repeatable), e.g. rules.max_timezone_gap_hours=9.", valueName: "KEY=VALUE"))
    var sets: [String] = []

    @Option(name: .customLong("time-limit"), help: "Seconds the solver may use (overrides solver.time_limit_seconds).")
    var timeLimit: Double?

    @Option(
        help:
            "Solver core: auto (network flow; with access/reach equity rules, network first: the rules priced into the flow, GLPK only on the pairs that can still matter), network (no access/reach rules), or glpk-model (the single full GLPK model)."
    )
    var engine: EngineChoice = .auto

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "In the table, list every unmatched mentee (a summary by reason when there are many).")
    var all = false

    @Flag(name: .customLong("no-store"), help: "Do not read or record anything in the program store.")
    var noStore = false

    @Flag(name: .shortAndLong, help: "Show every solver step (and GLPK's own log) on standard error, a line each.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "No progress or warnings on standard error.")
    var quiet = false

    func validate() throws {
        if let t = timeLimit, !(t >= 0.001 && t <= 604_800) {
            throw ValidationError("--time-limit must be a number of seconds from 0.001 to 604800 (a week)")
        }
        if let path = writeModel, !OutputFile.isModelPath(path) {
            throw ValidationError("--write-model must end in .mps or .lp, not '\(path)'")
        }
        for p in locks + rejects where Self.pair(p) == nil {
            throw ValidationError("'\(p)' is not a pair; write MENTOR:MENTEE, e.g. M12:E40")
        }
    }

    static func pair(_ text: String) -> PairKey? { PairKey(parsing: text) }

    func run() throws {
        var useCase = EngineOverrides.propose()
        useCase.decisions = ReviewDecisions(locked: Set(locks.compactMap(Self.pair)), rejected: Set(rejects.compactMap(Self.pair)))
        useCase.verbose = verbose
        useCase.timeLimitSeconds = timeLimit
        useCase.engine = engine
        useCase.wantModel = writeModel != nil
        let progressLine = ProgressLine.make(quiet: quiet, verbose: verbose)
        useCase.progress = progressLine?.report
        SolveControl.stopOnInterrupt()
        // Refused before the solve, not after a minute of it.
        let outputs = OutputPolicy.forProgram(program, storePath: storeOptions.store, overwrite: force)
        do {
            for path in [out, writeModel].compactMap({ $0 }) { try outputs.check(path) }
        } catch let e as InputError {
            Terminal.report(e.diagnostics)
            throw ExitCode(1)
        }
        let (result, recorded): (MentorMatch.Propose.Result, Recorded?)
        do {
            (result, recorded) = try solve(useCase, progressLine: progressLine)
        } catch let e as InputError {
            progressLine?.finish()
            Terminal.report(e.diagnostics)
            throw ExitCode(1)
        } catch {
            progressLine?.finish()
            Terminal.error("error: \(error)")
            throw ExitCode(1)
        }
        progressLine?.finish()
        if !quiet { Terminal.report(result.warnings) }
        try write(result, outputs: outputs, recorded: recorded)
        let proposal = result.proposal
        if proposal.status == .infeasible && format != .table && !quiet {
            for c in proposal.conflicts { Terminal.error("infeasible: \(c)") }
        }
        let code = ProposeExitCode(proposal)
        if code != .proposal { throw ExitCode(code.rawValue) }
    }

    /// The proposal as the store recorded it: where, and its number (to note the files written for it).
    private typealias Recorded = (review: Review, proposalID: Int64)

    /// Solves — recorded in the program's store with the cycle's decisions applied, unless
    /// `--no-store` or the store cannot be opened (said, and the proposal is not lost for it).
    private func solve(_ useCase: MentorMatch.Propose, progressLine: ProgressLine?) throws -> (MentorMatch.Propose.Result, Recorded?) {
        let overrides = try sets.map(ProgramOverride.init(parsing:))
        var useStore = !noStore
        if useStore {
            do { _ = try Review(programPath: program, storePath: storeOptions.store).open() } catch let e as InputError {
                if !quiet {
                    Terminal.error("warning: not recorded in the program store: " + e.diagnostics.map(\.message).joined(separator: "; "))
                }
                useStore = false
            }
        }
        guard useStore else { return (try useCase.run(programPath: program, overrides: overrides), nil) }
        let locks = useCase.decisions.locked, rejects = useCase.decisions.rejected
        let r = try Review(programPath: program, storePath: storeOptions.store)
            .propose(useCase, overrides: overrides, extraLocks: locks, extraRejects: rejects, by: storeOptions.reviewer)
        progressLine?.finish()
        if !quiet { report(r.applied) }
        let recorded = r.applied.proposalID.map { (Review(programPath: program, storePath: storeOptions.store), $0) }
        return (r.result, recorded)
    }

    /// What the store applied: the cycle, its decisions, history, stale decisions, the proposal's number.
    private func report(_ a: Review.Applied) {
        var line = "cycle '\(a.cycle)'"
        if a.locked + a.accepted + a.rejected > 0 {
            line +=
                ": applied \(a.locked) locked, \(a.accepted) accepted and \(a.rejected) rejected pair\(a.rejected == 1 ? "" : "s")"
                + (a.standing > 0 ? " (\(a.standing) rejected in every cycle)" : "")
        } else {
            line += ": no review decisions yet"
        }
        Terminal.error(line)
        if a.historyPairs > 0 { Terminal.error("\(a.historyPairs) pairs of finalised cohorts count as history") }
        for s in a.stale { Terminal.error("warning: \(s)") }
        if let id = a.proposalID { Terminal.error("recorded as proposal \(id)") }
    }

    /// The model (`--write-model`) and the proposal, to `--out` or the terminal.
    private func write(_ result: MentorMatch.Propose.Result, outputs: OutputPolicy, recorded: Recorded?) throws {
        let proposal = result.proposal
        if let path = writeModel, let model = result.model {
            do { try OutputFile.writeModel(model, to: path, policy: outputs) } catch let e as InputError {
                Terminal.report(e.diagnostics)
                throw ExitCode(1)
            }
            if !quiet { Terminal.error("wrote \(path) (the model: \(model.variables.count) variables, \(model.constraints.count) rows)") }
        }
        let names = Dictionary(result.program.people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let toTerminal = out == nil && isatty(STDOUT_FILENO) == 1
        let layout = ProposalRendering.TableLayout(width: toTerminal ? Terminal.width : nil, allUnmatched: all)
        let text = ProposalRendering.render(proposal, as: format, names: format == .table ? names : [:], layout: layout)
        guard let out else {
            Terminal.write(text)
            return
        }
        do { try OutputFile.write(Data(text.utf8), to: out, policy: outputs) } catch let e as InputError {
            Terminal.report(e.diagnostics)
            throw ExitCode(1)
        }
        if let recorded {
            do { try recorded.review.recordWritten(out, kind: "proposal output", proposalID: recorded.proposalID) } catch let e as InputError {
                if !quiet {
                    Terminal.error("warning: the store could not note the file written: " + e.diagnostics.map(\.message).joined(separator: "; "))
                }
            }
        }
        if !quiet { Terminal.error("wrote \(out) (\(proposal.status.rawValue), \(proposal.pairs.count) pairs)") }
    }
}
