import MatchModel
import TestSupport
import Testing

@testable import MatchSolver

/// The scanner is the fast path; `MatchInstance` is SPEC 2 and 3 written out.
/// They must agree on every pair: eligibility and points, bit for bit.
@Suite struct PairScannerTests {
    static func expectAgreement(_ instance: MatchInstance, _ label: String) {
        let scanner = PairScanner(instance)
        var scratch = scanner.makeScratch()
        for es in instance.mentees.indices {
            var fast: [Int: Int] = [:]
            var seen = 0
            scanner.forEachEligible(mentee: es, scratch: &scratch) { ms, p in
                fast[ms] = p
                seen += 1
            }
            #expect(seen == fast.count, "\(label): a mentor was reported twice for mentee slot \(es)")
            for ms in instance.mentors.indices {
                let reference = instance.isEligible(mentor: ms, mentee: es) ? instance.points(mentor: ms, mentee: es) : nil
                #expect(fast[ms] == reference, "\(label): mentor \(ms), mentee \(es)")
            }
        }
    }

    @Test func agreesWithTheReferenceOnRandomPrograms() {
        for seed in 0..<400 as Range<UInt64> {
            var gen = RandomProgram(rng: SplitMix(state: seed))
            let (program, decisions) = gen.make(mentorsPerMentee: 1 + Int(seed % 2))
            PairScannerTests.expectAgreement(MatchInstance(program: program, decisions: decisions), "seed \(seed)")
        }
    }

    /// `check` counts the eligible pairs without listing them: the same number as the list.
    @Test func countingAgreesWithListing() {
        for seed in 0..<100 as Range<UInt64> {
            var gen = RandomProgram(rng: SplitMix(state: seed &+ 77))
            let (program, decisions) = gen.make(mentorsPerMentee: 1)
            let instance = MatchInstance(program: program, decisions: decisions)
            let reference = instance.mentees.indices.reduce(0) { n, es in
                n + instance.mentors.indices.filter { instance.isEligible(mentor: $0, mentee: es) }.count
            }
            #expect(PairScanner(instance).countEligible() == reference, "seed \(seed)")
        }
    }

    /// Time-zone limits just under 12 h: the scan's windows must not overlap (each pair once).
    @Test(arguments: [11.4999, 11.5, 11.9999999995, 12, 13])
    func limitsNearHalfTheClockVisitEachPairOnce(limit: Double) {
        for seed in 0..<100 as Range<UInt64> {
            var gen = RandomProgram(rng: SplitMix(state: seed &+ 4_242))
            var (program, decisions) = gen.make(mentorsPerMentee: 1)
            program.policy.rules.maxTimezoneGapHours = limit
            PairScannerTests.expectAgreement(MatchInstance(program: program, decisions: decisions), "seed \(seed), limit \(limit)")
        }
    }

    @Test func agreesInARematchWhereOtherMenteesKeepTheirPairs() {
        for seed in 0..<100 as Range<UInt64> {
            var gen = RandomProgram(rng: SplitMix(state: seed))
            var (program, decisions) = gen.make(mentorsPerMentee: 1)
            guard let first = program.people.first(where: { $0.role.canBeMentored && !$0.optedOut }) else { continue }
            decisions.onlyMatch = [first.id]
            program.policy.rules.maxTimezoneGapHours = nil
            PairScannerTests.expectAgreement(MatchInstance(program: program, decisions: decisions), "rematch seed \(seed)")
        }
    }

    @Test func parallelScanVisitsEveryMenteeOnceInOrder() {
        var gen = RandomProgram(rng: SplitMix(state: 99))
        let (program, decisions) = gen.make(mentorsPerMentee: 1)
        let scanner = PairScanner(MatchInstance(program: program, decisions: decisions))
        for chunks in [1, 2, 3, 7, 50] {
            let ranges = scanner.scan(chunks: chunks) { range, _ in range }
            #expect(ranges.flatMap { Array($0) } == Array(scanner.instance.mentees.indices))
        }
    }
}
