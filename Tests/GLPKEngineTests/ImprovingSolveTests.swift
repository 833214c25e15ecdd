import Foundation
import Optimization
import Synchronization
import TestSupport
import Testing

@testable import GLPKEngine

/// ``ImprovingSolve`` and its parts against enumeration and GLPK's plain solve on seeded random
/// programs shaped like the cohort models: at most one place per row item, capacities, rows of
/// mixed signs (the access rows), a whole-number count variable, whole-number profits.
@Suite struct ImprovingSolveTests {
    /// A random program with `items × bins` binaries; the all-zero point is always feasible.
    static func program(_ rng: inout SplitMix, items: Int, bins: Int, direction: IntegerProgram.Direction = .maximize) -> IntegerProgram {
        var ip = IntegerProgram(name: "random", direction: direction)
        let sign: Double = direction == .maximize ? 1 : -1
        var x: [[IntegerProgram.VariableID]] = []
        for i in 0..<items {
            x.append((0..<bins).map { b in ip.addBinary(name: "x_\(i)_\(b)", objective: sign * Double(1 + rng.below(40))) })
        }
        for i in 0..<items { ip.addConstraint(name: "item_\(i)", terms: x[i].map { ($0, 1) }, upperBound: 1) }
        for b in 0..<bins {
            ip.addConstraint(name: "bin_\(b)", terms: (0..<items).map { (x[$0][b], Double(1 + rng.below(5))) }, upperBound: Double(3 + rng.below(6)))
        }
        // A group's count, held by an equality, with a share row over it (like the access rows).
        let group = (0..<items).filter { _ in rng.below(2) == 0 }
        let count = ip.addVariable(
            name: "count", lowerBound: 0, upperBound: Double(group.count), isInteger: true, objective: sign * Double(rng.below(3)))
        ip.addConstraint(name: "count_def", terms: group.flatMap { i in x[i].map { ($0, 1.0) } } + [(count, -1)], lowerBound: 0, upperBound: 0)
        let all = (0..<items).flatMap { i in x[i].map { ($0, -1.0) } }
        ip.addConstraint(name: "share", terms: all + [(count, 2)], lowerBound: -Double(rng.below(2)))
        return ip
    }

    /// Every point of the program's binaries (the count follows from them), feasible ones only.
    static func feasiblePoints(_ ip: IntegerProgram) -> [[Double]] {
        let n = ip.variables.count - 1
        var out: [[Double]] = []
        for mask in 0..<(1 << n) {
            var v = (0..<n).map { Double((mask >> $0) & 1) }
            // The count variable is fixed by its definition row.
            let def = ip.constraints.first { $0.name == "count_def" }!
            v.append(def.terms.filter { $0.variable < n }.reduce(0) { $0 + v[$1.variable] })
            if ip.isFeasible(v) { out.append(v) }
        }
        return out
    }

    /// A feasible start: items placed greedily in order while every row holds.
    static func greedy(_ ip: IntegerProgram, items: Int, bins: Int, rng: inout SplitMix) -> [Double] {
        var v = [Double](repeating: 0, count: ip.variables.count)
        let def = ip.constraints.first { $0.name == "count_def" }!
        func withCount(_ v: [Double]) -> [Double] {
            var w = v
            w[w.count - 1] = def.terms.filter { $0.variable < w.count - 1 }.reduce(0) { $0 + w[$1.variable] }
            return w
        }
        for i in 0..<items where rng.below(3) > 0 {
            for b in (0..<bins).shuffled(using: &rng) {
                var w = v
                w[i * bins + b] = 1
                w = withCount(w)
                if ip.isFeasible(w) {
                    v = w
                    break
                }
            }
        }
        return withCount(v)
    }

    @Test func reducedCostFixingKeepsEveryPointAsGoodAsTheIncumbent() throws {
        var tightened = 0
        for seed in 0..<40 {
            var rng = SplitMix(state: UInt64(seed) &+ 9_100)
            let direction: IntegerProgram.Direction = seed % 2 == 0 ? .maximize : .minimize
            let ip = Self.program(&rng, items: 4 + rng.below(2), bins: 2, direction: direction)
            let points = Self.feasiblePoints(ip)
            let lp = try #require(try GLPKEngine().solveRelaxation(ip, parameters: SolveParameters()))
            // The LP optimum bounds every feasible point.
            for p in points {
                #expect(direction == .maximize ? ip.objectiveValue(of: p) <= lp.objective + 1e-6 : ip.objectiveValue(of: p) >= lp.objective - 1e-6)
            }
            let fixing = ReducedCostFixing(ip, objective: lp.objective, values: lp.values, duals: lp.duals)
            // An incumbent among the better half of the points (a good start leaves a small gap).
            let ranked = points.map { ip.objectiveValue(of: $0) }.sorted { direction == .maximize ? $0 > $1 : $0 < $1 }
            let incumbent = ranked[rng.below((ranked.count + 1) / 2)]
            let bounds = fixing.bounds(incumbent: incumbent)
            tightened += bounds.compactMap { $0 }.count
            for p in points where direction == .maximize ? ip.objectiveValue(of: p) >= incumbent : ip.objectiveValue(of: p) <= incumbent {
                for (j, b) in bounds.enumerated() {
                    guard let b else { continue }
                    #expect(
                        p[j] >= b.lower - 1e-9 && p[j] <= b.upper + 1e-9,
                        "seed \(seed): variable \(j) bounded to \(b) cuts off a point worth \(ip.objectiveValue(of: p))")
                }
            }
        }
        // Not a vacuous check: the gaps drawn leave bounds to tighten.
        #expect(tightened > 20)
    }

    @Test(arguments: 0..<60) func findsTheEnumeratedOptimumFromAGreedyStart(seed: Int) throws {
        var rng = SplitMix(state: UInt64(seed) &+ 4_200)
        let direction: IntegerProgram.Direction = seed % 3 == 0 ? .minimize : .maximize
        let items = 4 + rng.below(3), bins = 2
        var ip = Self.program(&rng, items: items, bins: bins, direction: direction)
        let start = Self.greedy(ip, items: items, bins: bins, rng: &rng)
        if seed % 2 == 1 {
            // Some variables fixed by their bounds at the start's values (the settled variables leave first).
            for j in 0..<(ip.variables.count - 1) where rng.below(3) == 0 {
                ip.setBounds(IntegerProgram.VariableID(j), lower: start[j], upper: start[j])
            }
        }
        let points = Self.feasiblePoints(ip)
        let values = points.map { ip.objectiveValue(of: $0) }
        let optimum = direction == .maximize ? values.max()! : values.min()!
        #expect(ip.isFeasible(start))
        var solve = ImprovingSolve(engine: GLPKEngine())
        // The engine's last search from the relaxation's basis, and from its own start.
        solve.finalSearchFromRelaxation = seed % 4 < 2
        let r = try solve.solve(ip, from: start, parameters: SolveParameters())
        #expect(r.termination == .optimal, "seed \(seed)")
        #expect(abs((r.objectiveValue ?? .nan) - optimum) < 1e-6, "seed \(seed): \(r.objectiveValue ?? .nan) vs \(optimum)")
        #expect(ip.isFeasible(r.values ?? []))
        #expect(abs(ip.objectiveValue(of: r.values ?? start) - optimum) < 1e-6)
        if let b = r.bestBound { #expect(direction == .maximize ? b >= optimum - 1e-6 : b <= optimum + 1e-6) }
    }

    /// The root's LP (GLPK's cuts included) bounds every point, and fixing by its reduced costs
    /// keeps every point at least as good as the incumbent, as the plain LP's does.
    @Test func theRootsReducedCostsKeepEveryPointAsGoodAsTheIncumbent() throws {
        var branching = 0
        for seed in 0..<60 {
            var rng = SplitMix(state: UInt64(seed) &+ 12_400)
            let direction: IntegerProgram.Direction = seed % 2 == 0 ? .maximize : .minimize
            let items = 7
            let ip = Self.program(&rng, items: items, bins: 2, direction: direction)
            let points = Self.feasiblePoints(ip)
            let values = points.map { ip.objectiveValue(of: $0) }
            let optimum = direction == .maximize ? values.max()! : values.min()!
            // A weak start (nothing placed) on some seeds: with a good one GLPK often settles the root.
            let start = seed % 3 == 0 ? [Double](repeating: 0, count: ip.variables.count) : Self.greedy(ip, items: items, bins: 2, rng: &rng)
            // Without GLPK's cuts on odd seeds: with them, most roots this small need no branching.
            let parameters = SolveParameters(warmStart: start, options: ["cuts": seed % 2 == 0])
            switch try GLPKEngine().solveRoot(ip, parameters: parameters) {
            case .ended(let r):
                #expect(r.termination == .optimal, "seed \(seed)")
                #expect(abs((r.objectiveValue ?? .nan) - optimum) < 1e-6, "seed \(seed)")
            case .branching(let root):
                branching += 1
                #expect(direction == .maximize ? root.bound >= optimum - 1e-6 : root.bound <= optimum + 1e-6, "seed \(seed)")
                let incumbent = try #require(root.incumbent, "the warm start is a solution")
                #expect(ip.isFeasible(incumbent.values))
                let fixing = ReducedCostFixing(ip, objective: root.bound, values: root.values, reducedCosts: root.reducedCosts)
                let bounds = fixing.bounds(incumbent: incumbent.objective)
                for p in points
                where direction == .maximize ? ip.objectiveValue(of: p) >= incumbent.objective : ip.objectiveValue(of: p) <= incumbent.objective {
                    for (j, b) in bounds.enumerated() {
                        guard let b else { continue }
                        #expect(p[j] >= b.lower - 1e-9 && p[j] <= b.upper + 1e-9, "seed \(seed): variable \(j) bounded to \(b)")
                    }
                }
            }
        }
        // Not vacuous: some roots must branch.
        #expect(branching > 5)
    }

    /// Rounds of roots, however small the share each fixes, still end at the enumerated optimum.
    @Test func rootRoundsFindTheEnumeratedOptimum() throws {
        let rounds = Mutex(0), fromBasis = Mutex(0)
        for seed in 0..<40 {
            let (ip, start, optimum) = Self.drawn(seed: seed, salt: 13_700, items: { _ in 6 }, weakStart: seed % 4 == 0)
            var solve = ImprovingSolve(engine: GLPKEngine(cuts: seed % 2 == 0))
            solve.neighbourhoodRounds = 0
            solve.restartShare = 0
            solve.rootRounds = 3
            // Roots from the incumbent's vertex, and from the relaxation's basis.
            let basis = seed % 4 < 2
            solve.rootFromRelaxationShare = basis ? 0 : 0.25
            solve.progress = { line in
                guard line.hasPrefix("root ") else { return }
                rounds.withLock { $0 += 1 }
                if basis { fromBasis.withLock { $0 += 1 } }
            }
            Self.expectOptimum(try solve.solve(ip, from: start, parameters: SolveParameters()), ip, optimum, seed: seed)
        }
        // Not vacuous: roots that branched, and searches restarted from them, from either start.
        #expect(rounds.withLock { $0 } > 5)
        #expect(fromBasis.withLock { $0 } > 2 && rounds.withLock { $0 } - fromBasis.withLock { $0 } > 2)
    }

    /// A program drawn for `seed` (minimising on every third seed), a start (nothing placed when
    /// `weakStart`, else greedy) and its optimum by enumeration.
    static func drawn(seed: Int, salt: UInt64, items: (inout SplitMix) -> Int, weakStart: Bool) -> (IntegerProgram, [Double], Double) {
        var rng = SplitMix(state: UInt64(seed) &+ salt)
        let direction: IntegerProgram.Direction = seed % 3 == 0 ? .minimize : .maximize
        let n = items(&rng)
        let ip = Self.program(&rng, items: n, bins: 2, direction: direction)
        let start = weakStart ? [Double](repeating: 0, count: ip.variables.count) : Self.greedy(ip, items: n, bins: 2, rng: &rng)
        let values = Self.feasiblePoints(ip).map { ip.objectiveValue(of: $0) }
        return (ip, start, direction == .maximize ? values.max()! : values.min()!)
    }

    /// The solve ended proven at the enumerated optimum, with a feasible solution and a bound that holds.
    static func expectOptimum(_ r: SolveResult, _ ip: IntegerProgram, _ optimum: Double, seed: Int) {
        #expect(r.termination == .optimal, "seed \(seed)")
        #expect(abs((r.objectiveValue ?? .nan) - optimum) < 1e-6, "seed \(seed): \(r.objectiveValue ?? .nan) vs \(optimum)")
        #expect(ip.isFeasible(r.values ?? []))
        if let b = r.bestBound { #expect(ip.direction == .maximize ? b >= optimum - 1e-6 : b <= optimum + 1e-6, "seed \(seed)") }
    }

    /// Targets between the start and the bound: each answer agrees with enumeration — a target
    /// said reached is the optimum, a bound said proven holds — and the solve ends at the optimum.
    @Test func targetsAgreeWithEnumeration() throws {
        let reached = Mutex(0), outOfReach = Mutex(0)
        for seed in 0..<60 {
            // Weak starts (nothing placed) leave the gaps the targets work on.
            let (ip, start, optimum) = Self.drawn(seed: seed, salt: 15_100, items: { 6 + $0.below(2) }, weakStart: seed % 2 == 0)
            let direction = ip.direction
            var solve = ImprovingSolve(engine: GLPKEngine(cuts: seed % 2 == 0))
            solve.neighbourhoodRounds = 0
            solve.rootRounds = 0
            solve.targetShare = [0.5, 0.75, 0.95][seed % 3]
            solve.targetFreeShare = 1  // every target probed, however little it fixes
            let bounds = Mutex<[Double]>([])
            solve.progress = { line in
                guard line.hasPrefix("target ") else { return }
                if line.contains("optimum") { reached.withLock { $0 += 1 } }
                if let r = line.range(of: "bound "), let b = Double(line[r.upperBound...]) {
                    outOfReach.withLock { $0 += 1 }
                    bounds.withLock { $0.append(b) }
                }
            }
            Self.expectOptimum(try solve.solve(ip, from: start, parameters: SolveParameters()), ip, optimum, seed: seed)
            for b in bounds.withLock({ $0 }) {
                #expect(direction == .maximize ? b >= optimum - 1e-6 : b <= optimum + 1e-6, "seed \(seed): bound \(b), optimum \(optimum)")
            }
        }
        // Not vacuous: targets reached and targets out of reach.
        #expect(reached.withLock { $0 } > 5)
        #expect(outOfReach.withLock { $0 } > 5)
    }

    @Test(arguments: 0..<10) func aStoppedSolveKeepsTheIncumbentAndAValidBound(seed: Int) throws {
        var rng = SplitMix(state: UInt64(seed) &+ 777)
        let ip = Self.program(&rng, items: 6, bins: 2)
        let optimum = Self.feasiblePoints(ip).map { ip.objectiveValue(of: $0) }.max()!
        let start = Self.greedy(ip, items: 6, bins: 2, rng: &rng)
        let r = try ImprovingSolve(engine: GLPKEngine()).solve(ip, from: start, parameters: SolveParameters(timeLimitSeconds: 0.000_1))
        let values = try #require(r.values)
        #expect(ip.isFeasible(values))
        #expect(ip.objectiveValue(of: values) >= ip.objectiveValue(of: start) - 1e-9)
        if let b = r.bestBound { #expect(b >= optimum - 1e-6) }
        if r.termination == .optimal { #expect(abs(ip.objectiveValue(of: values) - optimum) < 1e-6) }
    }

    @Test func theRelaxationStartedAtASolutionHasTheSameOptimum() throws {
        for seed in 0..<30 {
            var rng = SplitMix(state: UInt64(seed) &+ 5_300)
            let items = 4 + rng.below(4)
            let ip = Self.program(&rng, items: items, bins: 2, direction: seed % 2 == 0 ? .maximize : .minimize)
            let start = Self.greedy(ip, items: items, bins: 2, rng: &rng)
            let cold = try #require(try GLPKEngine().solveRelaxation(ip, parameters: SolveParameters()))
            let warm = try #require(try GLPKEngine().solveRelaxation(ip, parameters: SolveParameters(warmStart: start)))
            #expect(abs(cold.objective - warm.objective) < 1e-6, "seed \(seed)")
            // Its duals are an optimum's too: the reduced costs bound every point the same way.
            let fixing = ReducedCostFixing(ip, objective: warm.objective, values: warm.values, duals: warm.duals)
            for p in Self.feasiblePoints(ip) {
                var bound = warm.objective
                for j in p.indices { bound += fixing.reducedCosts[j] * (p[j] - warm.values[j]) }
                #expect(ip.direction == .maximize ? ip.objectiveValue(of: p) <= bound + 1e-6 : ip.objectiveValue(of: p) >= bound - 1e-6)
            }
        }
    }

    /// Column generation's hand-over: a relaxation started at the basis a smaller program's
    /// relaxation ended at (some columns left out, rows matched by name) reaches the same optimum as
    /// one solved from nothing; so does the MIP started there; and a basis that is no basis at all
    /// (every entry basic) gives way to the engine's own start.
    @Test func aCarriedBasisReachesTheSameOptimum() throws {
        for seed in 0..<40 {
            var rng = SplitMix(state: UInt64(seed) &+ 8_100)
            let items = 4 + rng.below(5), bins = 2 + rng.below(2)
            let gain = (0..<items * bins).map { _ in Double(1 + rng.below(40)) }
            let weight = (0..<items * bins).map { _ in Double(1 + rng.below(5)) }
            let room = (0..<bins).map { _ in Double(3 + rng.below(6)) }
            let left = Set((0..<items * bins).filter { _ in rng.below(3) == 0 })
            func program(without out: Set<Int>) -> IntegerProgram {
                var ip = IntegerProgram(name: "carried", direction: .maximize)
                var x: [Int: IntegerProgram.VariableID] = [:]
                for k in 0..<items * bins where !out.contains(k) { x[k] = ip.addBinary(name: "x_\(k)", objective: gain[k]) }
                for i in 0..<items {
                    let terms = (0..<bins).compactMap { b in x[i * bins + b].map { ($0, 1.0) } }
                    if !terms.isEmpty { ip.addConstraint(name: "item_\(i)", terms: terms, upperBound: 1) }
                }
                for b in 0..<bins {
                    let terms = (0..<items).compactMap { i in x[i * bins + b].map { ($0, weight[i * bins + b]) } }
                    if !terms.isEmpty { ip.addConstraint(name: "bin_\(b)", terms: terms, upperBound: room[b]) }
                }
                return ip
            }
            let small = program(without: left), large = program(without: [])
            let engine = GLPKEngine()
            let first = try #require(try engine.solveRelaxation(small, parameters: SolveParameters()))
            let basis = try #require(first.basis, "seed \(seed): no basis reported")
            #expect(basis.rows.count == small.constraints.count && basis.columns.count == small.variables.count)
            #expect(basis.rows.filter { $0 == .basic }.count + basis.columns.filter { $0 == .basic }.count == small.constraints.count)
            let carried = basis.carried(from: small, to: large)
            let cold = try #require(try engine.solveRelaxation(large, parameters: SolveParameters()))
            let warm = try #require(try engine.solveRelaxation(large, parameters: SolveParameters(startingBasis: carried)))
            #expect(abs(cold.objective - warm.objective) < 1e-6, "seed \(seed): \(cold.objective) vs \(warm.objective)")
            let noBasis = SimplexBasis(rows: large.constraints.map { _ in .basic }, columns: large.variables.map { _ in .basic })
            let fallback = try #require(try engine.solveRelaxation(large, parameters: SolveParameters(startingBasis: noBasis)))
            #expect(abs(cold.objective - fallback.objective) < 1e-6, "seed \(seed)")
            let mip = try engine.solve(large, parameters: SolveParameters())
            let mipWarm = try engine.solve(large, parameters: SolveParameters(startingBasis: warm.basis))
            #expect(mip.termination == .optimal && mipWarm.termination == .optimal)
            #expect(abs((mip.objectiveValue ?? -1) - (mipWarm.objectiveValue ?? -2)) < 1e-6, "seed \(seed)")
        }
    }

    /// A relaxation's basis restricted to the variables left free has one basic entry per row
    /// left (a fixed basic variable's place taken by a slack), and the relaxation of the smaller
    /// program started there reaches the same optimum as from its own start.
    @Test func aRestrictedBasisKeepsItsSizeAndTheOptimum() throws {
        var restrictedBasics = 0
        for seed in 0..<30 {
            var rng = SplitMix(state: UInt64(seed) &+ 17_300)
            let ip = Self.program(&rng, items: 5 + rng.below(3), bins: 2)
            let engine = GLPKEngine()
            let lp = try #require(try engine.solveRelaxation(ip, parameters: SolveParameters()), "seed \(seed)")
            let basis = try #require(lp.basis, "seed \(seed)")
            // Fix a third of the variables at the all-zero point's values (always feasible), basic ones included.
            let fixing: [Double?] = ip.variables.indices.map { j in j % 3 == seed % 3 ? 0 : nil }
            restrictedBasics += ip.variables.indices.filter { fixing[$0] != nil && basis.columns[$0] == .basic }.count
            let fixed = FixedProgram(ip, fixing: fixing)
            let restricted = fixed.restrict(basis, of: ip)
            #expect(restricted.rows.count == fixed.program.constraints.count && restricted.columns.count == fixed.program.variables.count)
            let basics = restricted.rows.count(where: { $0 == .basic }) + restricted.columns.count(where: { $0 == .basic })
            #expect(basics == fixed.program.constraints.count, "seed \(seed): \(basics) basic entries for \(fixed.program.constraints.count) rows")
            let own = try engine.solveRelaxation(fixed.program, parameters: SolveParameters())
            let started = try engine.solveRelaxation(fixed.program, parameters: SolveParameters(startingBasis: restricted))
            #expect(abs((own?.objective ?? .nan) - (started?.objective ?? .nan)) < 1e-6, "seed \(seed)")
        }
        #expect(restrictedBasics > 5, "basic variables fixed: \(restrictedBasics)")
    }

    @Test func aFixedProgramHasTheSameObjectiveAndRows() throws {
        var rng = SplitMix(state: 31)
        let ip = Self.program(&rng, items: 5, bins: 2)
        for p in Self.feasiblePoints(ip).prefix(20) {
            let fixing: [Double?] = p.indices.map { j in j % 3 == 0 ? p[j] : nil }
            let fixed = FixedProgram(ip, fixing: fixing)
            #expect(fixed.program.variables.count == p.indices.filter { $0 % 3 != 0 }.count)
            let small = fixed.restrict(p)
            #expect(fixed.expand(small) == p)
            #expect(fixed.program.isFeasible(small))
            #expect(abs(fixed.program.objectiveValue(of: small) - ip.objectiveValue(of: p)) < 1e-9)
        }
    }

    /// An engine that counts the relaxations it is asked for.
    final class CountingEngine: IntegerProgramEngine, RelaxationSolving {
        let inner = GLPKEngine()
        let relaxations = Mutex(0)
        var name: String { "counting" }
        func solve(_ program: IntegerProgram, parameters: SolveParameters) throws -> SolveResult {
            try inner.solve(program, parameters: parameters)
        }
        func solveRelaxation(_ program: IntegerProgram, parameters: SolveParameters) throws -> RelaxationOptimum? {
            relaxations.withLock { $0 += 1 }
            return try inner.solveRelaxation(program, parameters: parameters)
        }
    }

    /// A relaxation the caller already has (column generation's last) is the solve's start: it is
    /// not solved again, and the optimum is enumeration's — also when variables fixed by their
    /// bounds leave the program first (the relaxation then restricted to the rest).
    @Test func aKnownRelaxationIsTheSolvesOwn() throws {
        var presolved = 0
        for seed in 0..<40 {
            var (ip, start, _) = Self.drawn(seed: seed, salt: 16_200, items: { 5 + $0.below(3) }, weakStart: seed % 2 == 0)
            if seed % 2 == 1 {
                // One binary held where the start has it: the presolve's restriction is exercised.
                let j = seed % (ip.variables.count - 1)
                ip.setBounds(IntegerProgram.VariableID(j), lower: start[j], upper: start[j])
                presolved += 1
            }
            let values = Self.feasiblePoints(ip).map { ip.objectiveValue(of: $0) }
            let optimum = ip.direction == .maximize ? values.max()! : values.min()!
            let engine = CountingEngine()
            let lp = try #require(try engine.solveRelaxation(ip, parameters: SolveParameters()), "seed \(seed)")
            var solve = ImprovingSolve(engine: engine)
            solve.rootRounds = 0
            let r = try solve.solve(ip, from: start, relaxation: lp, parameters: SolveParameters())
            Self.expectOptimum(r, ip, optimum, seed: seed)
            #expect(engine.relaxations.withLock { $0 } == 1, "seed \(seed): the relaxation was solved again")
        }
        #expect(presolved == 20)
    }

    @Test func anInfeasibleStartFallsBackToThePlainSolve() throws {
        var rng = SplitMix(state: 5)
        let ip = Self.program(&rng, items: 5, bins: 2)
        let optimum = Self.feasiblePoints(ip).map { ip.objectiveValue(of: $0) }.max()!
        let broken = [Double](repeating: 1, count: ip.variables.count)
        #expect(!ip.isFeasible(broken))
        let r = try ImprovingSolve(engine: GLPKEngine()).solve(ip, from: broken, parameters: SolveParameters())
        #expect(r.termination == .optimal)
        #expect(abs((r.objectiveValue ?? .nan) - optimum) < 1e-6)
    }
}
