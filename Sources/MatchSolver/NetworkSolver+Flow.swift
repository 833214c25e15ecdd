import FlowEngine
import Foundation
import MatchModel

/// The flow on a candidate set, priced against every eligible pair until none
/// has a negative reduced cost (the potentials then certify the whole program).
extension NetworkSolver {
    /// Folds every eligible pair into one `Fold` per chunk of mentees, on every
    /// core: the cached pairs straight from their buffers when there is a cache,
    /// else by scanning.
    func foldEligible<Fold: EligiblePairFold>(_ empty: Fold) -> [Fold] {
        if let cache = eligible {
            return parallelMap(cache.segments.count) { c in
                var fold = empty
                let seg = cache.segments[c]
                seg.codes.withUnsafeBufferPointer { codes in
                    for i in 0..<(seg.start.count - 1) where fold.begin(mentee: seg.first + i) {
                        let es = seg.first + i
                        fold.visit(mentee: es, codes: UnsafeBufferPointer(rebasing: codes[seg.start[i]..<seg.start[i + 1]]))
                        fold.end(mentee: es)
                    }
                }
                return fold
            }
        }
        let scanner = self.scanner
        return scanner.scan { range, scratch in
            var fold = empty
            for es in range where fold.begin(mentee: es) {
                scanner.forEachEligibleInScanOrder(mentee: es, scratch: &scratch) { i, _, p in fold.visit(mentee: es, position: i, points: p) }
                fold.end(mentee: es)
            }
            return fold
        }
    }

    /// Solves one flow on the candidate set, prices every other eligible pair
    /// with the potentials, and repeats until none has a negative reduced cost.
    func solveFlow(_ setting: FlowSetting, minPoints: Int?, warm: Flow? = nil, firstGain: (Int) -> Int64, pairGain: PairGain) throws -> Flow {
        let run = CandidateFlow(solver: self, setting: setting, minPoints: minPoints, firstGain: firstGain, pairGain: pairGain)
        return try run.solve(warm: warm)
    }
}
