import Foundation
import Optimization
import TestSupport
import Testing

@testable import GLPKEngine

@Suite struct GLPKEngineTests {
    /// max 5a + 4b + 3c  s.t. 2a + 3b + c ≤ 5, 4a + b + 2c ≤ 11, 3a + 4b + 2c ≤ 8, binary → a=1,c=1? checked by enumeration.
    func knapsack() -> IntegerProgram {
        var ip = IntegerProgram(name: "knap")
        let a = ip.addBinary(name: "a", objective: 5)
        let b = ip.addBinary(name: "b", objective: 4)
        let c = ip.addBinary(name: "c", objective: 3)
        ip.addConstraint(name: "r1", terms: [(a, 2), (b, 3), (c, 1)], upperBound: 5)
        ip.addConstraint(name: "r2", terms: [(a, 4), (b, 1), (c, 2)], upperBound: 11)
        ip.addConstraint(name: "r3", terms: [(a, 3), (b, 4), (c, 2)], upperBound: 8)
        return ip
    }

    @Test func solvesASmallBinaryProgramToProvenOptimality() throws {
        let ip = knapsack()
        let r = try GLPKEngine().solve(ip, parameters: SolveParameters())
        #expect(r.termination == .optimal)
        // Enumerate all 8 assignments for the true optimum.
        var best = -1.0
        for mask in 0..<8 {
            let v = (0..<3).map { Double((mask >> $0) & 1) }
            if ip.isFeasible(v) { best = max(best, ip.objectiveValue(of: v)) }
        }
        #expect(abs((r.objectiveValue ?? -1) - best) < 1e-6)
        #expect(ip.isFeasible(r.values ?? []))
    }

    @Test func reportsInfeasibleWithoutASolution() throws {
        var ip = IntegerProgram(name: "inf")
        let a = ip.addBinary(name: "a", objective: 1)
        let b = ip.addBinary(name: "b", objective: 1)
        ip.addConstraint(name: "both", terms: [(a, 1), (b, 1)], lowerBound: 3)
        let r = try GLPKEngine().solve(ip, parameters: SolveParameters())
        #expect(r.termination == .infeasible)
        #expect(r.values == nil)
    }

    @Test func anEmptyProgramIsOptimalAtZero() throws {
        let r = try GLPKEngine().solve(IntegerProgram(name: "empty"), parameters: SolveParameters())
        #expect(r.termination == .optimal)
        #expect(r.objectiveValue == 0)
    }

    @Test func aProvokedGLPKErrorComesBackAsAMessageAndTheProcessLives() {
        for _ in 0..<50 {
            let message = GLPKEngine.provokeGuardedError()
            #expect(message?.contains("glp_set_obj_coef") == true)
        }
        // GLPK still works on this thread after its environment was freed.
        let r = try? GLPKEngine().solve(knapsack(), parameters: SolveParameters())
        #expect(r?.termination == .optimal)
    }

    @Test func writesFreeMPSAndCPLEXLP() throws {
        let dir = TemporaryDirectory("mm-glpk")
        try GLPKEngine().write(knapsack(), to: dir.file("m.mps"), format: .mps)
        try GLPKEngine().write(knapsack(), to: dir.file("m.lp"), format: .lp)
        let mps = try String(contentsOfFile: dir.file("m.mps"), encoding: .utf8)
        let lp = try String(contentsOfFile: dir.file("m.lp"), encoding: .utf8)
        #expect(mps.contains("ROWS") && mps.contains("r3"))
        #expect(lp.lowercased().contains("maximize") && lp.contains("r2"))
    }

    @Test func aWriteToAMissingFolderIsAnErrorNotACrash() {
        #expect(throws: EngineError.self) {
            try GLPKEngine().write(knapsack(), to: "/nonexistent-dir/x/m.mps", format: .mps)
        }
    }

    @Test func timeLimitedSolveReportsItsTermination() throws {
        // A tiny limit on a trivial model still ends honestly: optimal or time limit, never a crash.
        let r = try GLPKEngine().solve(knapsack(), parameters: SolveParameters(timeLimitSeconds: 0.001))
        #expect(r.termination == .optimal || r.termination == .timeLimit)
    }

    @Test func namesArePortable() {
        #expect(PortableName.make("x_a b-c") == "x_a_b_c")
        #expect(PortableName.make("1abc") == "_1abc")
        var reg = PortableName.Registry()
        #expect(reg.unique("a-b") == "a_b")
        #expect(reg.unique("a_b") == "a_b_2")
    }
}
