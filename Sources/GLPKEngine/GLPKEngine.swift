internal import CGLPKShim
import Foundation
import Optimization

/// Solves an ``IntegerProgram`` with GLPK's branch-and-cut (`glp_intopt`).
///
/// Every GLPK call runs inside the C guard (`glpk_guard.c`): an internal GLPK
/// error becomes an ``EngineError`` carrying GLPK's message, never an abort.
/// The GLPK problem object lives and dies inside one C call, so it never
/// crosses a thread.
public struct GLPKEngine: IntegerProgramEngine, ModelWriting, RelaxationSolving, RootSolving {
    public let name = "glpk"

    /// MIR, cover and clique cuts in branch-and-cut, and Gomory cuts at a root solved alone (a
    /// solve's `cuts` option overrides it).
    public var cuts: Bool
    /// GLPK's feasibility pump heuristic (a solve's `feasibility_pump` option overrides it).
    public var feasibilityPump: Bool

    public init(cuts: Bool = true, feasibilityPump: Bool = false) {
        self.cuts = cuts
        self.feasibilityPump = feasibilityPump
    }

    /// GLPK's version, e.g. "5.0".
    public static var version: String { String(cString: mm_glpk_version()) }

    /// Asks a solve running on any thread to stop at its next safe point; it
    /// then returns its best solution with termination ``Termination/interrupted``.
    public static func requestStop() { mm_glpk_request_stop() }

    /// Whether a stop was requested (by ``requestStop()`` or Ctrl-C).
    public static var stopRequested: Bool { mm_glpk_stop_requested() != 0 }

    /// Makes Ctrl-C stop a running solve (which then returns its best
    /// solution); a second Ctrl-C ends the process.
    public static func stopOnInterrupt() { mm_install_interrupt_stop() }

    public func solve(_ program: IntegerProgram, parameters: SolveParameters) throws -> SolveResult {
        let start = DispatchTime.now()
        var values = [Double](repeating: 0, count: max(program.variables.count, 1))
        let (outcome, result) = try run(
            program, parameters: parameters, writePath: nil,
            format: .mps, solve: true, values: &values)
        return try searchResult(program, outcome: outcome, result: result, values: values, since: start)
    }

    /// Branch-and-cut's root alone: GLPK's simplex starts at the warm start's vertex (when one is
    /// given), GLPK adds its cuts and runs its heuristics at the root, and stops where it would
    /// branch, handing back that LP.
    public func solveRoot(_ program: IntegerProgram, parameters: SolveParameters) throws -> RootSearch {
        let start = DispatchTime.now()
        let n = max(program.variables.count, 1)
        var values = [Double](repeating: 0, count: n)
        var rootValues = [Double](repeating: 0, count: n)
        var rootCosts = [Double](repeating: 0, count: n)
        let (outcome, result) = try rootValues.withUnsafeMutableBufferPointer { x in
            try rootCosts.withUnsafeMutableBufferPointer { d in
                try run(
                    program, parameters: parameters, writePath: nil, format: .mps, solve: true, values: &values,
                    root: (x.baseAddress, d.baseAddress))
            }
        }
        guard Int32(result.stopped_by) == Int32(MM_STOP_ROOT.rawValue) else {
            return .ended(try searchResult(program, outcome: outcome, result: result, values: values, since: start))
        }
        let count = program.variables.count
        return .branching(
            RootRelaxation(
                bound: result.root_bound, values: Array(rootValues.prefix(count)), reducedCosts: Array(rootCosts.prefix(count)),
                incumbent: result.has_solution != 0 ? (Array(values.prefix(count)), result.objective) : nil))
    }

    private func searchResult(
        _ program: IntegerProgram, outcome: Int32, result: mm_result, values: [Double], since start: DispatchTime
    ) throws -> SolveResult {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let message = Self.message(of: result)
        let solution: [Double]? = result.has_solution != 0 ? Array(values.prefix(program.variables.count)) : nil
        let objective: Double? = result.has_solution != 0 ? result.objective : nil
        let bound: Double? = result.has_bound != 0 ? result.best_bound : nil
        let termination: Termination
        switch Int32(outcome) {
        case Int32(MM_OUTCOME_OPTIMAL.rawValue): termination = .optimal
        case Int32(MM_OUTCOME_INFEASIBLE.rawValue): termination = .infeasible
        case Int32(MM_OUTCOME_UNBOUNDED.rawValue): termination = .unbounded
        case Int32(MM_OUTCOME_FEASIBLE.rawValue), Int32(MM_OUTCOME_NO_SOLUTION.rawValue):
            switch Int32(result.stopped_by) {
            case Int32(MM_STOP_GAP.rawValue): termination = .gapLimit
            case Int32(MM_STOP_REQUEST.rawValue): termination = .interrupted
            default: termination = .timeLimit
            }
        default:
            throw EngineError(engine: name, message: message.isEmpty ? "unknown GLPK failure" : message)
        }
        return SolveResult(
            termination: termination, values: solution, objectiveValue: objective,
            bestBound: bound, seconds: seconds,
            detail: "glp_intopt returned \(result.glpk_return)")
    }

    /// Solves the LP relaxation: its optimum, primal values and row duals
    /// (GLPK's convention: reduced cost d_j = c_j − Σ_i a_ij·dual_i).
    /// Returns `nil` when the relaxation is infeasible or unbounded.
    public func solveRelaxation(_ program: IntegerProgram, parameters: SolveParameters) throws -> RelaxationOptimum? {
        var values = [Double](repeating: 0, count: max(program.variables.count, 1))
        var duals = [Double](repeating: 0, count: max(program.constraints.count, 1))
        var rowStatus = [Int32](repeating: 0, count: max(program.constraints.count, 1))
        var columnStatus = [Int32](repeating: 0, count: max(program.variables.count, 1))
        let (outcome, result) = try duals.withUnsafeMutableBufferPointer { d in
            try rowStatus.withUnsafeMutableBufferPointer { rs in
                try columnStatus.withUnsafeMutableBufferPointer { cs in
                    try run(
                        program, parameters: parameters, writePath: nil, format: .mps, solve: true, values: &values,
                        lpOnly: true, duals: d.baseAddress, basis: (rs.baseAddress!, cs.baseAddress!))
                }
            }
        }
        switch Int32(outcome) {
        case Int32(MM_OUTCOME_OPTIMAL.rawValue):
            func status(_ code: Int32) -> SimplexBasis.Status {
                switch code {
                case Int32(MM_BASIC.rawValue): .basic
                case Int32(MM_AT_UPPER.rawValue): .atUpper
                case Int32(MM_FREE.rawValue): .free
                case Int32(MM_FIXED.rawValue): .fixed
                default: .atLower
                }
            }
            let basis = SimplexBasis(
                rows: rowStatus.prefix(program.constraints.count).map(status), columns: columnStatus.prefix(program.variables.count).map(status))
            return RelaxationOptimum(
                objective: result.objective, values: Array(values.prefix(program.variables.count)),
                duals: Array(duals.prefix(program.constraints.count)), basis: basis)
        case Int32(MM_OUTCOME_INFEASIBLE.rawValue), Int32(MM_OUTCOME_UNBOUNDED.rawValue):
            return nil
        case Int32(MM_OUTCOME_NO_SOLUTION.rawValue):
            throw RelaxationStopped()
        default:
            throw EngineError(engine: name, message: Self.message(of: result))
        }
    }

    public func write(_ program: IntegerProgram, to path: String, format: ModelFileFormat) throws {
        var values = [Double](repeating: 0, count: max(program.variables.count, 1))
        let (outcome, result) = try run(
            program, parameters: SolveParameters(), writePath: path,
            format: format, solve: false, values: &values)
        if Int32(outcome) == Int32(MM_OUTCOME_ERROR.rawValue) {
            throw EngineError(engine: name, message: Self.message(of: result))
        }
        if result.write_failed != 0 {
            throw EngineError(engine: name, message: "could not write the model to \(path)")
        }
    }

    /// Test hook: misuses GLPK on purpose under the guard and returns GLPK's
    /// message, proving an internal GLPK error does not end the process.
    public static func provokeGuardedError() -> String? {
        var buffer = [CChar](repeating: 0, count: 1024)
        let caught = buffer.withUnsafeMutableBufferPointer { mm_glpk_provoke_error($0.baseAddress, $0.count) }
        guard caught == 1 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Reads a model file back with GLPK's own readers, maximises it and
    /// returns the optimum — the round trip a user of `--write-model` makes.
    public static func readAndMaximize(path: String, format: ModelFileFormat) throws -> Double {
        var objective = 0.0
        var buffer = [CChar](repeating: 0, count: 1024)
        let rc = buffer.withUnsafeMutableBufferPointer {
            mm_glpk_read_and_maximize(path, format == .lp ? 1 : 0, &objective, $0.baseAddress, $0.count)
        }
        guard rc == 0 else {
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw EngineError(engine: "glpk", message: "could not read and solve \(path)\(text.isEmpty ? "" : ": \(text)")")
        }
        return objective
    }

    // MARK: - The one place arrays become GLPK's 1-based C arrays.

    private func run(
        _ program: IntegerProgram, parameters: SolveParameters, writePath: String?,
        format: ModelFileFormat, solve: Bool, values: inout [Double],
        lpOnly: Bool = false, duals: UnsafeMutablePointer<Double>? = nil,
        basis: (rows: UnsafeMutablePointer<Int32>, columns: UnsafeMutablePointer<Int32>)? = nil,
        root: (values: UnsafeMutablePointer<Double>?, costs: UnsafeMutablePointer<Double>?)? = nil
    ) throws -> (Int32, mm_result) {
        guard program.variables.count < Int(Int32.max), program.constraints.count < Int(Int32.max),
            program.nonzeroCount < Int(Int32.max) - 1
        else {
            throw EngineError(engine: name, message: "the model is too large for GLPK")
        }
        let c = CModel(program, warmStart: parameters.warmStart, startingBasis: parameters.startingBasis, relaxation: lpOnly)
        defer { c.free() }
        if solve { mm_glpk_clear_stop() }
        var model = mm_model(
            n_rows: Int32(program.constraints.count), n_cols: Int32(program.variables.count), nnz: Int32(program.nonzeroCount),
            row_lo: c.rowLo.baseAddress, row_hi: c.rowHi.baseAddress, col_lo: c.colLo.baseAddress, col_hi: c.colHi.baseAddress,
            col_int: c.colInt.baseAddress, obj: c.objective.baseAddress, obj_const: program.objectiveConstant,
            maximize: program.direction == .maximize ? 1 : 0, ia: c.ia.baseAddress, ja: c.ja.baseAddress, ar: c.ar.baseAddress,
            row_names: c.rowNames.pointer, col_names: c.colNames.pointer, name: c.name)
        var params = mm_params(
            time_limit_seconds: parameters.timeLimitSeconds ?? 0, mip_gap: parameters.relativeGap,
            verbose: parameters.verbose ? 1 : 0, solve: solve ? 1 : 0, write_path: nil,
            write_format: writePath == nil
                ? Int32(MM_WRITE_NONE.rawValue) : (format == .mps ? Int32(MM_WRITE_MPS.rawValue) : Int32(MM_WRITE_LP.rawValue)),
            warm_start: c.warm?.baseAddress,
            feasibility_pump: (parameters.options["feasibility_pump"] ?? feasibilityPump) ? 1 : 0,
            cuts: (parameters.options["cuts"] ?? cuts) ? 1 : 0, lp_only: lpOnly ? 1 : 0, root_only: root == nil ? 0 : 1,
            start_row_stat: c.startRows.map { UnsafePointer($0.baseAddress!) },
            start_col_stat: c.startColumns.map { UnsafePointer($0.baseAddress!) })
        var result = mm_result()
        let outcome: Int32 = (writePath ?? "").withCString { path in
            values.withUnsafeMutableBufferPointer { vals in
                if writePath != nil { params.write_path = path }
                result.col_values = vals.baseAddress
                result.row_duals = duals
                result.row_stat = basis?.rows
                result.col_stat = basis?.columns
                result.root_values = root?.values
                result.root_costs = root?.costs
                if parameters.verbose { fflush(nil) }
                return mm_glpk_solve(&model, &params, &result)
            }
        }
        result.col_values = nil
        result.row_duals = nil
        result.row_stat = nil
        result.col_stat = nil
        result.root_values = nil
        result.root_costs = nil
        return (outcome, result)
    }

    private static func message(of result: mm_result) -> String {
        var r = result
        let text = withUnsafeBytes(of: &r.message) { raw -> String in
            let bytes = raw.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes[..<end], as: UTF8.self)
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// GLPK names: 1–255 characters, no spaces; MPS and LP writers need more
    /// (no operators in LP names), so anything else becomes `_`.
    static func glpkName(_ name: String, fallback: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            let ok = (scalar.value < 128) && (CharacterSet.alphanumerics.contains(scalar) || "_.()[]{}".unicodeScalars.contains(scalar))
            out.unicodeScalars.append(ok ? scalar : "_")
        }
        if out.isEmpty { out = fallback }
        if let first = out.unicodeScalars.first, CharacterSet.decimalDigits.contains(first) || first == "." {
            out = "_" + out
        }
        if out.utf8.count > 255 { out = String(out.utf8.prefix(255))! }
        return out
    }
}

/// A NULL-free array of C strings that lives until ``free()``.
/// An integer program as GLPK's C arrays: bounds with ±∞ for none, the matrix in 1-based
/// triplets, names, and the warm start (1-based; only when it is feasible). Owned by the caller
/// until ``free()``.
private struct CModel {
    let rowLo, rowHi, colLo, colHi, objective, ar: UnsafeMutableBufferPointer<Double>
    let colInt: UnsafeMutableBufferPointer<UInt8>
    let ia, ja: UnsafeMutableBufferPointer<Int32>
    let warm: UnsafeMutableBufferPointer<Double>?
    /// A starting basis in GLPK's codes, 0-based (only when it has one entry per row and per column).
    let startRows, startColumns: UnsafeMutableBufferPointer<Int32>?
    let rowNames, colNames: CStringArray
    let name: UnsafeMutablePointer<CChar>

    /// `relaxation`: the model is solved as its LP relaxation alone, so the start need only be a
    /// point of it (the C side then uses it for a starting basis, never as a solution).
    init(_ program: IntegerProgram, warmStart: [Double]?, startingBasis: SimplexBasis?, relaxation: Bool) {
        let rows = program.constraints, cols = program.variables
        func copy<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
            let p = UnsafeMutableBufferPointer<T>.allocate(capacity: max(values.count, 1))
            _ = p.initialize(from: values)
            return p
        }
        rowLo = copy(rows.map { $0.lowerBound.isFinite ? $0.lowerBound : -Double.infinity })
        rowHi = copy(rows.map { $0.upperBound.isFinite ? $0.upperBound : Double.infinity })
        colLo = copy(cols.map { $0.lowerBound.isFinite ? $0.lowerBound : -Double.infinity })
        colHi = copy(cols.map { $0.upperBound.isFinite ? $0.upperBound : Double.infinity })
        colInt = copy(cols.map { UInt8($0.isInteger ? 1 : 0) })
        objective = copy(cols.map(\.objective))
        let nnz = program.nonzeroCount
        ia = copy([Int32](repeating: 0, count: nnz + 1))
        ja = copy([Int32](repeating: 0, count: nnz + 1))
        ar = copy([Double](repeating: 0, count: nnz + 1))
        var k = 1
        for (i, row) in rows.enumerated() {
            for t in row.terms {
                ia[k] = Int32(i + 1)
                ja[k] = Int32(t.variable + 1)
                ar[k] = t.coefficient
                k += 1
            }
        }
        rowNames = CStringArray(rows.map { GLPKEngine.glpkName($0.name, fallback: "r\($0.name.hashValue & 0xffff)") })
        colNames = CStringArray(cols.map { GLPKEngine.glpkName($0.name, fallback: "c") })
        name = strdup(program.name)
        if let w = warmStart, w.count == cols.count, program.isFeasible(w, integral: !relaxation) {
            warm = copy([0] + w)
        } else {
            warm = nil
        }
        func code(_ s: SimplexBasis.Status) -> Int32 {
            switch s {
            case .basic: Int32(MM_BASIC.rawValue)
            case .atLower: Int32(MM_AT_LOWER.rawValue)
            case .atUpper: Int32(MM_AT_UPPER.rawValue)
            case .free: Int32(MM_FREE.rawValue)
            case .fixed: Int32(MM_FIXED.rawValue)
            }
        }
        if let b = startingBasis, b.rows.count == rows.count, b.columns.count == cols.count, !rows.isEmpty, !cols.isEmpty {
            startRows = copy(b.rows.map(code))
            startColumns = copy(b.columns.map(code))
        } else {
            startRows = nil
            startColumns = nil
        }
    }

    func free() {
        for p in [rowLo, rowHi, colLo, colHi, objective, ar] { p.deallocate() }
        colInt.deallocate()
        ia.deallocate()
        ja.deallocate()
        warm?.deallocate()
        startRows?.deallocate()
        startColumns?.deallocate()
        rowNames.free()
        colNames.free()
        Foundation.free(name)
    }
}

private struct CStringArray {
    let storage: UnsafeMutablePointer<UnsafePointer<CChar>?>
    let count: Int

    init(_ strings: [String]) {
        count = strings.count
        storage = .allocate(capacity: max(count, 1))
        for (i, s) in strings.enumerated() { storage[i] = UnsafePointer(strdup(s)) }
    }

    var pointer: UnsafePointer<UnsafePointer<CChar>?>? { count == 0 ? nil : UnsafePointer(storage) }

    func free() {
        for i in 0..<count { Foundation.free(UnsafeMutablePointer(mutating: storage[i])) }
        storage.deallocate()
    }
}
