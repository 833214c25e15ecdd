/// A program with some integer variables fixed, as a smaller program of the free ones: each fixed
/// variable's part moves into the rows' bounds and the objective constant (a row left empty and
/// kept goes), so an engine reads neither its column nor its bounds. Objective values and bounds
/// are the same in both programs; ``expand(_:)`` maps a solution of the smaller one back.
public struct FixedProgram: Sendable {
    /// The program over the free variables.
    public let program: IntegerProgram
    /// Each of the smaller program's variables' index in the original.
    public let free: [Int]
    /// Each of the smaller program's rows' index in the original.
    public let keptRows: [Int]
    /// The original's values with the fixed ones set (the free ones are filled by ``expand(_:)``).
    private let fixedValues: [Double]

    /// - Parameter fixed: a value for each variable to fix (`nil`: free).
    public init(_ original: IntegerProgram, fixing fixed: [Double?]) {
        precondition(fixed.count == original.variables.count, "one entry per variable")
        var program = IntegerProgram(name: original.name, direction: original.direction)
        var newIndex = [Int](repeating: -1, count: fixed.count)
        var free: [Int] = []
        var constant = original.objectiveConstant
        var values = [Double](repeating: 0, count: fixed.count)
        for (j, v) in original.variables.enumerated() {
            if let f = fixed[j] {
                values[j] = f
                constant += v.objective * f
            } else {
                newIndex[j] =
                    program.addVariable(
                        name: v.name, lowerBound: v.lowerBound, upperBound: v.upperBound, isInteger: v.isInteger, objective: v.objective
                    ).index
                free.append(j)
            }
        }
        program.objectiveConstant = constant
        var keptRows: [Int] = []
        for (i, c) in original.constraints.enumerated() {
            var shift = 0.0
            var terms: [(IntegerProgram.VariableID, Double)] = []
            terms.reserveCapacity(c.terms.count)
            for t in c.terms {
                if newIndex[t.variable] >= 0 {
                    terms.append((IntegerProgram.VariableID(newIndex[t.variable]), t.coefficient))
                } else {
                    shift += t.coefficient * values[t.variable]
                }
            }
            // A row left without variables that its fixed part keeps says nothing more.
            if terms.isEmpty && c.lowerBound - shift <= 1e-9 && c.upperBound - shift >= -1e-9 { continue }
            program.addConstraint(name: c.name, terms: terms, lowerBound: c.lowerBound - shift, upperBound: c.upperBound - shift)
            keptRows.append(i)
        }
        self.program = program
        self.free = free
        self.keptRows = keptRows
        fixedValues = values
    }

    /// The program with `bounds` imposed (`nil`: the variable's own): variables they fix leave
    /// it, the others keep the tighter bounds. With `keepingFixed`, every variable stays (those
    /// fixed with equal bounds): the program's rows and columns are the original's, so a basis of
    /// the original is one of it.
    public init(_ original: IntegerProgram, bounds: [(lower: Double, upper: Double)?], keepingFixed: Bool = false) {
        var tightened = original
        for (j, b) in bounds.enumerated() {
            if let b, keepingFixed || b.lower < b.upper { tightened.setBounds(IntegerProgram.VariableID(j), lower: b.lower, upper: b.upper) }
        }
        self.init(tightened, fixing: bounds.map { b in keepingFixed ? nil : b.flatMap { $0.lower == $0.upper ? $0.lower : nil } })
    }

    /// The original's values from the smaller program's.
    public func expand(_ values: [Double]) -> [Double] {
        var out = fixedValues
        for (i, j) in free.enumerated() { out[j] = values[i] }
        return out
    }

    /// The smaller program's values from the original's.
    public func restrict(_ values: [Double]) -> [Double] { free.map { values[$0] } }

    /// A basis of the original as a basis of the smaller program. A basic variable that was fixed
    /// leaves a row without its basic entry: the slack of a row it was in (and nonbasic) takes its
    /// place, so the basis keeps its size and usually stays nonsingular; any count still off is
    /// evened with other rows' slacks or by columns leaving the basis. An engine that finds the
    /// result singular starts from its own basis.
    public func restrict(_ basis: SimplexBasis, of original: IntegerProgram) -> SimplexBasis {
        guard basis.rows.count == original.constraints.count, basis.columns.count == original.variables.count else { return basis }
        var rows = keptRows.map { basis.rows[$0] }
        var columns = free.map { basis.columns[$0] }
        var isFree = [Bool](repeating: false, count: original.variables.count)
        for j in free { isFree[j] = true }
        var unplaced = Set(original.variables.indices.filter { !isFree[$0] && basis.columns[$0] == .basic })
        for (r, i) in keptRows.enumerated() where !unplaced.isEmpty && rows[r] != .basic {
            if let t = original.constraints[i].terms.first(where: { unplaced.contains($0.variable) }) {
                rows[r] = .basic
                unplaced.remove(t.variable)
            }
        }
        var surplus = rows.count(where: { $0 == .basic }) + columns.count(where: { $0 == .basic }) - rows.count
        for r in rows.indices where surplus < 0 && rows[r] != .basic {
            rows[r] = .basic
            surplus += 1
        }
        for c in columns.indices.reversed() where surplus > 0 && columns[c] == .basic {
            columns[c] = .atLower
            surplus -= 1
        }
        return SimplexBasis(rows: rows, columns: columns)
    }

    /// Variables the program's own bounds fix (lower = upper), and those a row then leaves no
    /// room for: a row of nonnegative coefficients whose fixed part and the others' lower bounds
    /// already reach its upper bound holds every other variable at its lower bound.
    public static func settledVariables(_ program: IntegerProgram) -> [Double?] {
        var fixed: [Double?] = program.variables.map { $0.lowerBound == $0.upperBound ? $0.lowerBound : nil }
        for c in program.constraints where c.upperBound.isFinite {
            var least = 0.0
            var free = false
            var nonnegative = true
            for t in c.terms {
                if let f = fixed[t.variable] {
                    least += t.coefficient * f
                } else {
                    free = true
                    nonnegative = nonnegative && t.coefficient > 0 && program.variables[t.variable].lowerBound.isFinite
                    if nonnegative { least += t.coefficient * program.variables[t.variable].lowerBound }
                }
            }
            guard free, nonnegative, least >= c.upperBound - 1e-9 else { continue }
            for t in c.terms where fixed[t.variable] == nil { fixed[t.variable] = program.variables[t.variable].lowerBound }
        }
        return fixed
    }
}
