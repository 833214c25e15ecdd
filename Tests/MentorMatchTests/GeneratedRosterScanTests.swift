import Foundation
import MatchModel
import ProgramGenerator
import TestSupport
import Testing

@testable import MatchSolver
@testable import MentorMatch

/// The fast pair scanner against the reference rules on generated rosters:
/// nine time zones (half-hour ones included), many languages, skills,
/// preferences, exclusions, history and a deep org chart.
@Suite struct GeneratedRosterScanTests {
    @Test(arguments: [(120, 45, UInt64(3)), (200, 60, UInt64(17))])
    func scannerAgreesOnEveryPair(mentees: Int, mentors: Int, seed: UInt64) throws {
        let folder = TemporaryDirectory("mm-scan-\(seed)")
        try RosterGenerator(mentees: mentees, mentors: mentors, seed: seed, equity: true).write(to: folder.path)
        let loaded = try ProgramLoader.load(path: folder.file("program.yaml"))
        for gap in [nil, 3.0, 6.0] as [Double?] {
            var program = loaded.program
            program.policy.rules.maxTimezoneGapHours = gap
            let instance = MatchInstance(program: program)
            let scanner = PairScanner(instance)
            var scratch = scanner.makeScratch()
            var mismatches = 0, eligible = 0
            for es in instance.mentees.indices {
                var fast: [Int: Int] = [:]
                scanner.forEachEligible(mentee: es, scratch: &scratch) { ms, p in fast[ms] = p }
                for ms in instance.mentors.indices {
                    let reference = instance.isEligible(mentor: ms, mentee: es) ? instance.points(mentor: ms, mentee: es) : nil
                    if reference != nil { eligible += 1 }
                    if fast[ms] != reference { mismatches += 1 }
                }
            }
            #expect(mismatches == 0, "gap \(String(describing: gap))")
            #expect(eligible > 0)
        }
    }
}
