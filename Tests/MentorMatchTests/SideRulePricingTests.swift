import Foundation
import GLPKEngine
import MatchModel
import ProgramGenerator
import TestSupport
import Testing

@testable import MatchSolver
@testable import MentorMatch

/// Access rows have coefficients of about the number of mentees (`N·matched(g) − |g|·matched`).
/// With prices in steps of 1/16 point per unit of the row, the smallest price on such a row was
/// worth ~175 points per mentee at 3,000 mentees: no priced flow lowered the bound, and this
/// program (department access and location reach broken at the optimum without them) went to the full GLPK model
/// and ran out its time. Priced in finer steps, network first settles it. The optimum is the
/// one `--engine glpk-model` (the single full GLPK model) proved independently in 478 s.
@Suite struct SideRulePricingTests {
    @Test func accessRowsOnThousandsOfMenteesAreSettledByNetworkFirst() throws {
        let folder = TemporaryDirectory("mm-pricing")
        try RosterGenerator(mentees: 3000, mentors: 1000, seed: 4, equity: true).write(to: folder.path)
        let loaded = try ProgramLoader.load(path: folder.file("program.yaml"))
        let instance = MatchInstance(program: loaded.program)
        let r = try NetworkFirst(instance: instance, engine: GLPKEngine()).solve()
        let unmet = r.networkOutcome?.sideRules?.unmet ?? []
        #expect(
            unmet.count == 2 && unmet.contains { $0.hasPrefix("department_access") },
            "the optimum without the access/reach rules should break department access and one more: \(unmet)")
        let o = try #require(r.outcome, "network first handed the program over to the full model")
        #expect(o.status == .optimal)
        #expect(CohortCheck.violations(instance, pairs: o.pairs.map { ($0.mentor, $0.mentee) }).isEmpty)
        #expect(o.objective.coverage == 2353)
        #expect(o.objective.totalPoints == 1_213_106)
    }
}
