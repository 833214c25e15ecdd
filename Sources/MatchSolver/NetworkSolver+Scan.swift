import FlowEngine
import Foundation
import MatchModel

extension NetworkSolver {
    /// What one scan over every eligible pair gathers.
    struct EligibleScan {
        /// Eligible pairs in the whole program.
        var count: Int
        /// Every point value a pair has (the fairness search's thresholds).
        var pointsSeen: Set<Int>
        var maxPoints: Int
        /// Each mentee's candidates: its best mentors with room, and the mentors for
        /// whom it is among the best (so no mentor is left without arcs).
        var top: [[(mentor: Int32, points: Int32)]]
        var seconds: Double
    }

    /// One scan on every core: counts the eligible pairs, keeps each mentee's best
    /// candidates and each mentor's best mentees, and — within the memory budget —
    /// every eligible pair in the cache that pricing reads (``eligible``).
    mutating func scanEligible(capacity: [Int], places: [Int], lockedKeys: Set<UInt64>, layer: DepartmentLayer) -> EligibleScan {
        // One scan on every core: count eligible pairs, keep each mentee's best candidates
        // and (within the memory budget) every eligible pair for pricing.
        progress?("scanning eligible pairs")
        let scanStart = DispatchTime.now()
        let k = tuning.candidatesPerMentee
        let chunkBudget = eligibleCacheCodeLimit / (ProcessInfo.processInfo.activeProcessorCount * 8)
        let scanCapacity = capacity, scanPlaces = places, scanLocked = lockedKeys, positionLimit = cachePositionLimit
        let scanner = self.scanner
        let mentorSide = tuning.mentorCandidates
        // A mentor with department nodes also gets the best mentees of each department
        // (else the cap leaves most of its departments without arcs).
        let layerSide = mentorSide > 0 && layer.nodeCount > 0 ? max(2, 2 * layer.cap) : 0
        let scatteredSide = mentorSide > 0 ? tuning.scatteredCandidates : 0
        let positions = scanner.slotAtPosition.count
        // Each mentor's best mentees join the candidates too, so no mentor is left
        // without arcs (and with a potential of zero) by the mentees' own choices:
        // gathered during the scan, one list per core (split per chunk, each chunk's
        // lists would take a quarter of its offers).
        let slotAt = scanner.slotAtPosition
        let noSide = MentorSideCandidates(
            best: BestMentees(mentors: positions, keep: mentorSide),
            scattered: BestMentees(mentors: positions, keep: scatteredSide),
            layerBest: BestMentees(mentors: layer.nodeCount, keep: layerSide),
            places: scanPlaces, hasRoom: slotAt.map { scanCapacity[Int($0)] > 0 },
            slotAt: slotAt, locked: scanLocked, layer: layer)
        let (parts, sides) = scanner.scan(lanes: { noSide }) { range, scratch, side in
            var part = ScanPart(range: range, keepPairs: positions <= positionLimit)
            // One mentee's pairs go to raw buffers (a window visits each position once),
            // then into the segment in one copy: no array checks per pair.
            let pendingPosition = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, positions))
            let pendingPoints32 = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, positions))
            let pendingCodes = UnsafeMutablePointer<UInt16>.allocate(capacity: max(1, 3 * positions))
            let seen = UnsafeMutablePointer<Bool>.allocate(capacity: 1001)
            seen.initialize(repeating: false, count: 1001)
            defer {
                pendingPosition.deallocate()
                pendingPoints32.deallocate()
                pendingCodes.deallocate()
                seen.deallocate()
            }
            for (done, es) in range.enumerated() {
                var best: [(mentor: Int32, points: Int32)] = []
                best.reserveCapacity(k + 1)
                let wanted = scanPlaces[es] > 0
                var most = 0
                // The pairs first (a tight loop without calls), then what is kept of them.
                let n = scanner.collectEligible(mentee: es, scratch: &scratch, positions: pendingPosition, points: pendingPoints32)
                for j in 0..<n {
                    let i = Int(pendingPosition[j]), p = Int(pendingPoints32[j])
                    if p <= 1000 { seen[p] = true } else { part.saw(p) }
                    most = max(most, p)
                    guard wanted else { continue }
                    if mentorSide > 0 { side.visit(mentee: es, position: i, points: p) }
                    // The cheap test first: most pairs are below the mentee's k-th best.
                    if best.count == k, let last = best.last, Int32(p) <= last.points { continue }
                    let ms = Int(slotAt[i])
                    guard scanCapacity[ms] > 0 else { continue }
                    if !scanLocked.isEmpty && scanLocked.contains(MatchInstance.pairKey(ms, es)) { continue }
                    var at = best.count
                    while at > 0 && best[at - 1].points < Int32(p) { at -= 1 }
                    best.insert((Int32(ms), Int32(p)), at: at)
                    if best.count > k { best.removeLast() }
                }
                part.top.append(best)
                part.count += n
                part.maxPoints = max(part.maxPoints, most)
                if part.keepPairs {
                    let words = EligibleCache.encode(positions: pendingPosition, points: pendingPoints32, count: n, into: pendingCodes)
                    part.segment.append(codes: pendingCodes, count: words)
                    // A sixteenth in, room for the rest as projected (growing by doubling copies the pairs).
                    if done + 1 == max(1, range.count / 16) {
                        part.segment.reserveCapacity(min(chunkBudget, part.segment.codes.count * range.count / (done + 1) * 9 / 8))
                    }
                    if part.segment.codes.count > chunkBudget || part.maxPoints > Int(UInt16.max) {
                        part.keepPairs = false
                        part.segment = EligibleCache.Segment(first: range.lowerBound)
                    }
                }
            }
            for p in 0...1000 where seen[p] { part.pointsSeen[p] = true }
            return part
        }
        var scan = Self.combine(parts)
        eligible = parts.allSatisfy(\.keepPairs) ? EligibleCache(segments: parts.map(\.segment)) : nil
        if mentorSide > 0 { Self.addMentorSide(sides, slotAt: slotAt, layer: layer, to: &scan.top) }
        let scanSeconds = Double(DispatchTime.now().uptimeNanoseconds - scanStart.uptimeNanoseconds) / 1e9
        progress?(String(format: "%d eligible pairs; %d candidates (%.2f s)", scan.count, scan.top.reduce(0) { $0 + $1.count }, scanSeconds))
        scan.seconds = scanSeconds
        return scan
    }

    /// The chunks' counts, point values and candidates, in mentee order.
    private static func combine(_ parts: [ScanPart]) -> EligibleScan {
        var scan = EligibleScan(count: 0, pointsSeen: [], maxPoints: 0, top: [], seconds: 0)
        scan.top.reserveCapacity(parts.reduce(0) { $0 + $1.top.count })
        for part in parts {
            scan.count += part.count
            for p in 0...1000 where part.pointsSeen[p] { scan.pointsSeen.insert(p) }
            scan.pointsSeen.formUnion(part.otherPoints)
            scan.maxPoints = max(scan.maxPoints, part.maxPoints)
            scan.top.append(contentsOf: part.top)
        }
        return scan
    }

    /// Each mentor's best mentees (and scattered ones, and each department node's best) join those
    /// mentees' candidates, so no mentor is left without arcs by the mentees' own choices.
    private static func addMentorSide(
        _ sides: [MentorSideCandidates], slotAt: [Int32], layer: DepartmentLayer, to top: inout [[(mentor: Int32, points: Int32)]]
    ) {
        var merged = sides[0]
        for side in sides.dropFirst() {
            merged.best.absorb(side.best)
            merged.scattered.absorb(side.scattered)
            merged.layerBest.absorb(side.layerBest)
        }
        for (i, slot) in slotAt.enumerated() {
            let ms = Int(slot)
            for (es, key) in merged.best.list(of: i) + merged.scattered.list(of: i) where !top[es].contains(where: { Int($0.mentor) == ms }) {
                top[es].append((Int32(ms), Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)))
            }
        }
        for node in 0..<layer.nodeCount {
            let ms = layer.nodes[node].mentor
            for (es, key) in merged.layerBest.list(of: node) where !top[es].contains(where: { Int($0.mentor) == ms }) {
                top[es].append((Int32(ms), Int32(key)))
            }
        }
    }
}
