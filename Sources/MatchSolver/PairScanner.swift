import Foundation
import MatchModel

/// The hot loop of every large solve: each eligible (mentor, mentee) pair of a
/// mentee with its points, from flat per-slot arrays.
///
/// ``MatchInstance`` answers one pair at a time and is the reference (its
/// ``MatchInstance/factors(mentor:mentee:)`` is SPEC 3 written out). The
/// scanner gives the same answers — a test checks every pair of hundreds of
/// random programs bit for bit — but for a whole mentee at once and without a
/// dictionary, set or reference-counted value touched per pair:
/// - mentors are bucketed by level and sorted by UTC offset, so only the level
///   band and the time-zone window are visited, and every mentor column the
///   pair needs (offset, person, department, style, org interval, languages,
///   proficiencies) is stored in that same order, so a window is read front to
///   back instead of one random row per column per pair;
/// - languages are bit sets, skills a dense mentor × skill table, the level and
///   style factors small tables, the org chart enter/exit intervals;
/// - exclusions, history, rejections and preferences are per-mentee lists that
///   are spread into a mentor-sized scratch array before the mentee's scan and
///   cleared after it.
///
/// Mentees are independent, so ``scan(chunks:_:)`` splits them across cores.
public struct PairScanner: Sendable {
    public let instance: MatchInstance

    /// The per-slot columns of the mentees.
    struct Side: Sendable {
        let person: [Int32]
        let level: [Int32]
        let offset: [Double]
        let dept: [Int32]
        /// DiSC position 0–3, 4 for blank.
        let style: [Int8]
        let enter: [Int32]
        let exit: [Int32]

        init(_ instance: MatchInstance, _ persons: [Int]) {
            person = persons.map(Int32.init)
            level = persons.map { Int32(instance.people[$0].level) }
            offset = persons.map { instance.offsetHours[$0] }
            dept = persons.map { instance.departmentID[$0] }
            style = persons.map { instance.people[$0].style.map { Int8($0.position) } ?? 4 }
            enter = persons.map { instance.orgEnter[$0] }
            exit = persons.map { instance.orgExit[$0] }
        }
    }

    let menteeSide: Side
    var menteeDept: [Int32] { menteeSide.dept }
    /// Mentees scanned by the reference path (a re-match keeps them as they are).
    let menteeFrozen: [Bool]

    /// Language bit sets, `languageWords` words per slot (mentees) or scan position (mentors).
    let languageWords: Int
    let menteeLanguages: [UInt64]

    /// Mentors meeting mentor_eligibility in scan order — by level, then UTC offset
    /// (then slot): what a pair needs of the mentor at position `i` is at `i` in
    /// ``columns``, ``orderLanguages`` and ``proficiency``.
    /// Positions of level `l` (1...15) are `levelStart[l] ..< levelStart[l + 1]`.
    let levelStart: [Int]
    /// Mentor slot at each scan position, and each slot's position (−1: fails
    /// mentor_eligibility, never visited). Walks over the eligible pairs keep
    /// positions: a mentee's pairs come in ascending position, so arrays indexed
    /// by position are read front to back as well.
    public let slotAtPosition: [Int32]
    let positionOfSlot: [Int32]
    let orderLanguages: [UInt64]
    /// The mentor columns, one flat array each in scan order.
    let columns: ScanColumns

    /// Proficiency of the mentor at scan position `i` in skill `s` at `s * positions + i`
    /// (0 when absent): skill by skill, so a mentee's scan reads one byte stream per goal
    /// front to back (mentor by mentor, each pair's goals were scattered over its row).
    let skillCount: Int
    let proficiency: [UInt8]
    /// Where each goal's skill starts in ``proficiency`` (`goalSkill · positions`), by goal index.
    let goalOffset: [Int]
    let maxProficiency: Int
    /// Goals of mentee slot `e`: `goalStart[e] ..< goalStart[e + 1]`.
    let goalStart: [Int32]
    let goalPriority: [Int32]
    let goalDenominator: [Int32]

    /// Scan positions of the mentors a mentee may never have (exclusions, history, rejections): CSR by mentee slot.
    let blockedStart: [Int32]
    let blockedMentor: [Int32]
    /// Preference factor of (mentor, mentee) pairs that have a rank either way, by scan position: CSR by mentee slot.
    let preferenceStart: [Int32]
    let preferenceMentor: [Int32]
    let preferenceValue: [Double]

    // Rules and weights, unpacked.
    let sharedLanguage: Bool
    let timezoneLimit: Double?
    let levelMin: Int32, levelMax: Int32
    let chainRule: Bool
    /// With tiers: per tier, whether the mentor at each scan position meets its mentor eligibility
    /// (tier `t`'s flags at `t · positions`); empty without tiers (every scanned mentor meets the program's).
    let tierAdmits: [UInt8]
    /// SPEC 9.2's floor (0: none).
    let floor: Int32
    /// Whether pairs have factors after the six (criteria, external scores): added to each eligible pair's score.
    let hasExtraFactors: Bool
    let extraWeights: [Double]
    /// weight·level factor by gap + 32.
    let weightedLevel: [Double]
    let wSkills: Double, wTimezone: Double, wPreference: Double, wCross: Double

    public init(_ instance: MatchInstance) {
        self.instance = instance
        spare = SpareScratch(Scratch(mentors: instance.mentors.count))
        let rules = instance.policy.rules
        let w = instance.policy.weights
        let mentors = instance.mentors, mentees = instance.mentees

        menteeSide = Side(instance, mentees)
        menteeFrozen = instance.frozenMentees.map { f in mentees.map { f[$0] } } ?? Array(repeating: false, count: mentees.count)
        let (scanOrder, starts) = Self.scanOrder(instance)
        levelStart = starts
        // Mentor slot → scan position (−1: fails mentor_eligibility, never visited).
        var position = [Int32](repeating: -1, count: mentors.count)
        for (i, ms) in scanOrder.enumerated() { position[Int(ms)] = Int32(i) }
        slotAtPosition = scanOrder
        positionOfSlot = position
        let ordered = scanOrder.map { mentors[Int($0)] }

        let languageCount = Int(instance.languageIDs.lazy.flatMap { $0 }.max().map { $0 + 1 } ?? 0)
        languageWords = max(1, (languageCount + 63) / 64)
        orderLanguages = Self.languageBits(instance, ordered, words: languageWords)
        menteeLanguages = Self.languageBits(instance, mentees, words: languageWords)

        var maxSkill: Int32 = -1
        for p in instance.people.indices {
            for s in instance.skillsByMentor[p] { maxSkill = max(maxSkill, s.skill) }
            for g in instance.goalsByMentee[p] { maxSkill = max(maxSkill, g.skill) }
        }
        skillCount = Int(maxSkill) + 1
        var prof = [UInt8](repeating: 0, count: ordered.count * skillCount)
        for (i, p) in ordered.enumerated() {
            for s in instance.skillsByMentor[p] { prof[Int(s.skill) * ordered.count + i] = UInt8(clamping: s.proficiency) }
        }
        proficiency = prof
        maxProficiency = Int(prof.max() ?? 0)
        var gStart: [Int32] = [0], gSkill: [Int32] = [], gPriority: [Int32] = [], gDen: [Int32] = []
        for p in mentees {
            var den: Int32 = 0
            for g in instance.goalsByMentee[p] {
                gSkill.append(g.skill)
                gPriority.append(g.priority)
                den += g.priority
            }
            gStart.append(Int32(gSkill.count))
            gDen.append(den)
        }
        goalStart = gStart
        goalPriority = gPriority
        goalDenominator = gDen
        goalOffset = gSkill.map { Int($0) * ordered.count }

        (blockedStart, blockedMentor) = Self.blockedMentors(instance, position: position)
        (preferenceStart, preferenceMentor, preferenceValue) = Self.preferences(instance, position: position)

        sharedLanguage = rules.sharedLanguage
        timezoneLimit = rules.maxTimezoneGapHours
        // The tiers' level-gap ranges together (the program's without tiers); the tier of a gap gives its ideal.
        levelMin = Int32(instance.gapRange?.lowerBound ?? 1)
        levelMax = Int32(instance.gapRange?.upperBound ?? 0)
        chainRule = rules.excludeManagementChain
        weightedLevel = (-32...32).map { gap in
            let ideal = instance.tiers[instance.tierIndex(gap: gap) ?? 0].levelGap.ideal
            return w.level * max(0, 1 - Double(abs(gap - ideal)) / 4)
        }
        tierAdmits = instance.hasTiers ? instance.passesTierEligibility.flatMap { pass in ordered.map { pass[$0] ? 1 : 0 } } : []
        floor = Int32(rules.minPairPoints)
        hasExtraFactors = instance.hasExtraFactors
        extraWeights = instance.policy.extraFactorWeights
        wSkills = w.skills
        wTimezone = w.timezone
        wPreference = w.preference
        wCross = w.crossDepartment
        columns = ScanColumns(instance, mentors: ordered, styleTable: Self.styleTable(w))
    }

    /// Scan order: mentors meeting mentor_eligibility by level, then offset (then slot); and where
    /// each level starts in it (index 16: the end).
    private static func scanOrder(_ instance: MatchInstance) -> ([Int32], [Int]) {
        var scanOrder: [Int32] = []
        var starts = [Int](repeating: 0, count: 17)
        for level in 0...15 {
            starts[level] = scanOrder.count
            guard level >= 1 else { continue }
            let sorted = instance.mentorsByLevel[level]
                .filter { instance.passesMentorEligibility[instance.mentors[$0]] }
                .sorted { (instance.offsetHours[instance.mentors[$0]], $0) < (instance.offsetHours[instance.mentors[$1]], $1) }
            scanOrder.append(contentsOf: sorted.map(Int32.init))
        }
        starts[16] = scanOrder.count
        return (scanOrder, starts)
    }

    /// Each person's languages as bits, `words` words a person.
    private static func languageBits(_ instance: MatchInstance, _ persons: [Int], words: Int) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: persons.count * words)
        for (slot, p) in persons.enumerated() {
            for l in instance.languageIDs[p] { out[slot * words + Int(l) / 64] |= 1 << UInt64(Int(l) % 64) }
        }
        return out
    }

    /// Pair lists keyed by person indices → per-mentee lists of scan positions (declared conflicts,
    /// earlier pairs under no_repeat_pairs, rejected pairs). A mentor without a position is never
    /// visited, so its entries can go.
    private static func blockedMentors(_ instance: MatchInstance, position: [Int32]) -> ([Int32], [Int32]) {
        var blocked = Array(repeating: [Int32](), count: instance.mentees.count)
        func block(_ key: UInt64) {
            let m = Int(key >> 32), e = Int(key & 0xFFFF_FFFF)
            if let ms = instance.mentorSlot[m], let es = instance.menteeSlot[e], position[ms] >= 0 { blocked[es].append(position[ms]) }
        }
        for k in instance.excluded { block(k) }  // holds both orders
        if instance.policy.rules.noRepeatPairs { for k in instance.pastPairs { block(k) } }
        for k in instance.rejected { block(k) }
        var bStart: [Int32] = [0], bMentor: [Int32] = []
        for list in blocked {
            bMentor.append(contentsOf: list)
            bStart.append(Int32(bMentor.count))
        }
        return (bStart, bMentor)
    }

    /// Per mentee, the scan positions with a preference either way and the preference factor
    /// (r(e→m) + r(m→e)) / 2, SPEC 3's order.
    private static func preferences(_ instance: MatchInstance, position: [Int32]) -> ([Int32], [Int32], [Double]) {
        var ranked = Array(repeating: [Int32: (toMentor: Double, toMentee: Double)](), count: instance.mentees.count)
        func rankValue(_ k: Int) -> Double { max(0, 1 - 0.25 * Double(k - 1)) }
        for (key, rank) in instance.preferenceRank {
            let from = Int(key >> 32), to = Int(key & 0xFFFF_FFFF)
            if let es = instance.menteeSlot[from], let ms = instance.mentorSlot[to], position[ms] >= 0 {
                ranked[es][position[ms], default: (0, 0)].toMentor = rankValue(rank)
            }
            if let ms = instance.mentorSlot[from], let es = instance.menteeSlot[to], position[ms] >= 0 {
                ranked[es][position[ms], default: (0, 0)].toMentee = rankValue(rank)
            }
        }
        var pStart: [Int32] = [0], pMentor: [Int32] = [], pValue: [Double] = []
        for list in ranked {
            for (i, r) in list.sorted(by: { $0.key < $1.key }) {
                pMentor.append(i)
                pValue.append((r.toMentor + r.toMentee) / 2)
            }
            pStart.append(Int32(pMentor.count))
        }
        return (pStart, pMentor, pValue)
    }

    /// weight·style factor by 5·style(mentor) + style(mentee), 4 meaning blank.
    private static func styleTable(_ w: Weights) -> [Double] {
        var table = [Double](repeating: 0, count: 25)
        for a in 0..<5 {
            for b in 0..<5 {
                let f: Double
                if a == 4 || b == 4 {
                    f = 0.5
                } else {
                    let diff = abs(a - b)
                    f = diff == 0 ? 1 : (diff == 2 ? 0 : 0.5)
                }
                table[5 * a + b] = w.style * f
            }
        }
        return table
    }

    /// Per scan position, one raw array per mentor column (read by ``collectEligible``'s
    /// window loop front to back, without bounds checks), and w·style for each mentee style code.
    final class ScanColumns: @unchecked Sendable {
        let count: Int
        let offset: UnsafeMutablePointer<Double>
        let person: UnsafeMutablePointer<Int32>
        let dept: UnsafeMutablePointer<Int32>
        let enter: UnsafeMutablePointer<Int32>
        let exit: UnsafeMutablePointer<Int32>
        /// w·style(mentor at i, mentee style c) at `c · count + i` (c = 0…4, 4 for blank).
        let style: UnsafeMutablePointer<Double>

        /// - Parameter mentors: person indices in scan order.
        init(_ instance: MatchInstance, mentors: [Int], styleTable: [Double]) {
            count = mentors.count
            let n = max(1, count)
            offset = .allocate(capacity: n)
            person = .allocate(capacity: n)
            dept = .allocate(capacity: n)
            enter = .allocate(capacity: n)
            exit = .allocate(capacity: n)
            style = .allocate(capacity: 5 * n)
            for (i, p) in mentors.enumerated() {
                offset[i] = instance.offsetHours[p]
                person[i] = Int32(p)
                dept[i] = instance.departmentID[p]
                enter[i] = instance.orgEnter[p]
                exit[i] = instance.orgExit[p]
                let row = 5 * (instance.people[p].style.map { $0.position } ?? 4)
                for c in 0..<5 { style[c * count + i] = styleTable[row + c] }
            }
        }

        deinit {
            offset.deallocate()
            person.deallocate()
            dept.deallocate()
            enter.deallocate()
            exit.deallocate()
            style.deallocate()
        }
    }

    /// Per-thread working memory of a scan: one entry per mentor scan position.
    public struct Scratch {
        /// 1: blocked for the current mentee; 2: has a preference value.
        var mark: [UInt8]
        var preference: [Double]
        /// The current mentee's weighted skills factor by numerator Σ pᵢ·qᵢ.
        var weightedSkills: [Double] = []
        /// One mentee's eligible pairs, for ``forEachEligibleInScanOrder(mentee:scratch:_:)``.
        let found: PairBuffer
        /// A window's skill numerators, points and eligibility, position by position.
        let window: WindowBuffer

        public init(mentors: Int) {
            mark = [UInt8](repeating: 0, count: mentors)
            preference = [Double](repeating: 0, count: mentors)
            found = PairBuffer(capacity: mentors)
            window = WindowBuffer(capacity: mentors)
        }
    }

    /// Room for one mentee's eligible pairs (at most one per mentor): scan positions and points.
    public final class PairBuffer: @unchecked Sendable {
        public let positions: UnsafeMutablePointer<Int32>
        public let points: UnsafeMutablePointer<Int32>

        public init(capacity: Int) {
            positions = .allocate(capacity: max(1, capacity))
            points = .allocate(capacity: max(1, capacity))
        }

        deinit {
            positions.deallocate()
            points.deallocate()
        }
    }

    /// Working memory of one window of scan positions.
    public final class WindowBuffer: @unchecked Sendable {
        let numerator: UnsafeMutablePointer<Int32>
        let points: UnsafeMutablePointer<Int32>
        let eligible: UnsafeMutablePointer<UInt8>
        /// The six factors' score, for programs whose pairs have more factors.
        let score: UnsafeMutablePointer<Double>

        init(capacity: Int) {
            numerator = .allocate(capacity: max(1, capacity))
            points = .allocate(capacity: max(1, capacity))
            eligible = .allocate(capacity: max(1, capacity))
            score = .allocate(capacity: max(1, capacity))
        }

        deinit {
            numerator.deallocate()
            points.deallocate()
            eligible.deallocate()
            score.deallocate()
        }
    }

    public func makeScratch() -> Scratch { Scratch(mentors: instance.mentors.count) }

    /// The scratch ``eligibleMentors(of:)`` reuses.
    let spare: SpareScratch

    /// Calls `body(mentorSlot, points)` for every mentor eligible for mentee slot `es`.
    @inline(__always)
    public func forEachEligible(mentee es: Int, scratch: inout Scratch, _ body: (Int, Int) -> Void) {
        forEachEligibleInScanOrder(mentee: es, scratch: &scratch) { _, ms, p in body(ms, p) }
    }

    /// Calls `body(position, mentorSlot, points)` for every mentor eligible for mentee slot
    /// `es`, in ascending scan position (``slotAtPosition``).
    @inline(__always)
    public func forEachEligibleInScanOrder(mentee es: Int, scratch: inout Scratch, _ body: (Int, Int, Int) -> Void) {
        let found = scratch.found
        let n = collectEligible(mentee: es, scratch: &scratch, positions: found.positions, points: found.points)
        for k in 0..<n {
            let i = Int(found.positions[k])
            body(i, Int(slotAtPosition[i]), Int(found.points[k]))
        }
    }

    /// Writes the eligible pairs of mentee slot `es` to `positions` (the mentor's scan
    /// position) and `points`, in ascending position, and returns how many: the hot loop
    /// of the scan, free of calls (room for one pair per scan position is needed).
    @inline(__always)
    public func collectEligible(
        mentee es: Int, scratch: inout Scratch,
        positions: UnsafeMutablePointer<Int32>, points: UnsafeMutablePointer<Int32>
    ) -> Int {
        var n = 0
        if menteeFrozen[es] {
            // A re-match keeps this mentee as they are: the reference path says which pairs remain
            // (an eligible mentor meets mentor_eligibility, so it has a position).
            for i in slotAtPosition.indices {
                let ms = Int(slotAtPosition[i])
                if instance.isEligible(mentor: ms, mentee: es) {
                    positions[n] = Int32(i)
                    points[n] = Int32(instance.points(mentor: ms, mentee: es))
                    n += 1
                }
            }
            return n
        }
        let mentee = menteeSide
        let level = mentee.level[es]
        let lo = max(1, level + levelMin), hi = min(15, level + levelMax)
        guard lo <= hi else { return 0 }

        let bRange = Int(blockedStart[es])..<Int(blockedStart[es + 1])
        let pRange = Int(preferenceStart[es])..<Int(preferenceStart[es + 1])
        for i in bRange { scratch.mark[Int(blockedMentor[i])] |= 1 }
        for i in pRange {
            scratch.mark[Int(preferenceMentor[i])] |= 2
            scratch.preference[Int(preferenceMentor[i])] = preferenceValue[i]
        }
        defer {
            for i in bRange { scratch.mark[Int(blockedMentor[i])] = 0 }
            for i in pRange { scratch.mark[Int(preferenceMentor[i])] = 0 }
        }

        let o = mentee.offset[es]
        let person = mentee.person[es]
        let enter = mentee.enter[es], exit = mentee.exit[es]
        let dept = mentee.dept[es]
        let menteeStyleCode = Int(mentee.style[es])
        let gRange = Int(goalStart[es])..<Int(goalStart[es + 1])
        let den = goalDenominator[es]
        let words = languageWords
        let limit = timezoneLimit
        let buffer = scratch.window
        // w·skills for every numerator the mentee's goals can reach (the same
        // division as SPEC 3, done once per value instead of once per pair).
        scratch.weightedSkills.removeAll(keepingCapacity: true)
        if den != 0 {
            var reach = 0
            for g in gRange { reach += Int(goalPriority[g]) * maxProficiency }
            for num in 0...reach { scratch.weightedSkills.append(wSkills * (Double(num) / Double(5 * Int(den)))) }
        }

        tierAdmits.withUnsafeBufferPointer { tierAdmitsBuffer in
            let tierAdmitsBase = tierAdmitsBuffer.baseAddress
            orderLanguages.withUnsafeBufferPointer { mLang in
                menteeLanguages.withUnsafeBufferPointer { eLang in
                    proficiency.withUnsafeBufferPointer { prof in
                        scratch.mark.withUnsafeBufferPointer { mark in
                            scratch.preference.withUnsafeBufferPointer { pref in
                                scratch.weightedSkills.withUnsafeBufferPointer { weightedSkills in
                                    let c = columns
                                    let style = c.style + menteeStyleCode * c.count
                                    let languages = mLang.baseAddress!, menteeLanguage = eLang.baseAddress! + es * words
                                    let marks = mark.baseAddress!, prefs = pref.baseAddress!, table = weightedSkills.baseAddress
                                    // The eligible pairs among positions `from ..< to` (one level), in two loops without
                                    // branches on the pair: every position's points and whether it is eligible (same
                                    // person, no shared language, too far apart in time, management chain, blocked: each
                                    // a flag), then the eligible ones kept. Ineligible positions cost their arithmetic,
                                    // not a mispredicted branch each. The score is summed in SPEC 3's order, so the
                                    // points are the reference's (``MatchInstance/points(mentor:mentee:)``) to the bit.
                                    @inline(__always) func window(
                                        _ from: Int, _ to: Int, levelTerm: Double, limit: Double, admits: UnsafePointer<UInt8>?
                                    ) {
                                        let count = to - from
                                        let numerator = buffer.numerator, pts = buffer.points, ok = buffer.eligible, scores = buffer.score
                                        if den != 0 {
                                            for k in 0..<count { numerator[k] = 0 }
                                            for g in gRange {
                                                let priority = goalPriority[g]
                                                let row = prof.baseAddress! + goalOffset[g] + from
                                                for k in 0..<count { numerator[k] &+= priority &* Int32(row[k]) }
                                            }
                                        }
                                        for k in 0..<count {
                                            let i = from + k
                                            let diff = abs(c.offset[i] - o)
                                            let d = min(diff, 24 - diff)
                                            let flag = marks[i]
                                            var s = den != 0 ? table![Int(numerator[k])] : 0.0  // w·skills, 0 without goals
                                            let timezone = max(0, 8 - d) / 8
                                            let preference = flag & 2 != 0 ? prefs[i] : 0
                                            let cross: Double = c.dept[i] != dept ? 1 : 0
                                            s += levelTerm
                                            s += wTimezone * timezone
                                            s += wPreference * preference
                                            s += style[i]
                                            s += wCross * cross
                                            // Weights are ≥ 0 (and ≤ 1,000 each), so 1000·s + 0.5 > 0, truncation is
                                            // SPEC 3's floor, and the points stay far below Int32.max.
                                            pts[k] = Int32(1000 * s + 0.5)
                                            scores[k] = s
                                            var good: UInt8 = c.person[i] != person ? 1 : 0
                                            if sharedLanguage {
                                                var shared = languages[i * words] & menteeLanguage[0]
                                                for w in 1..<words { shared |= languages[i * words + w] & menteeLanguage[w] }
                                                good &= shared != 0 ? 1 : 0
                                            }
                                            good &= d > limit ? 0 : 1
                                            if chainRule {
                                                let me = c.enter[i], mx = c.exit[i]
                                                good &= (me < enter && exit <= mx) || (enter < me && mx <= exit) ? 0 : 1
                                            }
                                            good &= (flag & 1) ^ 1
                                            if let admits { good &= admits[i] }
                                            ok[k] = good
                                        }
                                        if hasExtraFactors || floor > 0 {
                                            // SPEC 9: the criteria and external score continue the same sum, then the floor.
                                            for k in 0..<count where ok[k] != 0 {
                                                var p = pts[k]
                                                if hasExtraFactors {
                                                    p = Int32(
                                                        1000 * extraScore(scores[k], mentor: Int(c.person[from + k]), mentee: Int(person)) + 0.5)
                                                }
                                                if p < floor { continue }
                                                positions[n] = Int32(truncatingIfNeeded: from + k)
                                                points[n] = p
                                                n += 1
                                            }
                                            return
                                        }
                                        for k in 0..<count {
                                            positions[n] = Int32(truncatingIfNeeded: from + k)
                                            points[n] = pts[k]
                                            n &+= Int(ok[k])
                                        }
                                    }
                                    for l in Int(lo)...Int(hi) {
                                        let first = levelStart[l], end = levelStart[l + 1]
                                        guard first < end else { continue }
                                        let gap = Int(Int32(l) - level)
                                        let levelTerm = weightedLevel[gap + 32]
                                        var admits: UnsafePointer<UInt8>?
                                        if !tierAdmits.isEmpty {
                                            // A gap outside every tier has no pairs; inside one, that tier's mentors only.
                                            guard let t = instance.tierIndex(gap: gap) else { continue }
                                            admits = tierAdmitsBase! + t * slotAtPosition.count
                                        }
                                        // The windows below are disjoint (each position visited once, which callers rely
                                        // on) only while 2g plus their tolerance stays below 24 h: wider limits (or none)
                                        // take the whole level (`window` still applies the limit).
                                        guard let g = limit, g < 11.5 else {
                                            window(first, end, levelTerm: levelTerm, limit: limit ?? .infinity, admits: admits)
                                            continue
                                        }
                                        // Offsets within [o − g, o + g], and the wrapped windows beyond ±24 h.
                                        for (a, b) in [(o - g, o + g), (o - g + 24, o + g + 24), (o - g - 24, o + g - 24)] {
                                            let from = PairScanner.lowerBound(c.offset, first, end, a - 1e-9)
                                            var to = from
                                            while to < end && c.offset[to] <= b + 1e-9 { to += 1 }
                                            if from < to { window(from, to, levelTerm: levelTerm, limit: g, admits: admits) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return n
    }

    /// A pair's score with the factors after the six added to `six`, in SPEC 9.6's order.
    func extraScore(_ six: Double, mentor m: Int, mentee e: Int) -> Double {
        var s = six
        for c in instance.policy.criteria.indices { s += extraWeights[c] * instance.criterionValue(c, m, e) }
        if let external = instance.policy.externalScores {
            s += external.weight * (instance.externalScore(m, e) ?? external.missing)
        }
        return s
    }

    /// The first position in `first ..< end` whose offset is ≥ x.
    private static func lowerBound(_ offset: UnsafeMutablePointer<Double>, _ first: Int, _ end: Int, _ x: Double) -> Int {
        var lo = first, hi = end
        while lo < hi {
            let mid = (lo + hi) >> 1
            if offset[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Eligible mentor slots of a mentee, ascending. One scratch is kept for these
    /// one-at-a-time calls (explanations ask for every unmatched mentee in turn).
    public func eligibleMentors(of es: Int) -> [Int] {
        var out: [Int] = []
        spare.with { forEachEligible(mentee: es, scratch: &$0) { ms, _ in out.append(ms) } }
        return out.sorted()
    }

    /// How many (mentor, mentee) pairs are eligible, counted on every core without storing them.
    public func countEligible() -> Int {
        scan { range, scratch in
            let found = scratch.found
            return range.reduce(0) { $0 + collectEligible(mentee: $1, scratch: &scratch, positions: found.positions, points: found.points) }
        }.reduce(0, +)
    }

    /// Runs `body` on contiguous ranges of mentee slots, in parallel on every
    /// core, and returns the results in mentee order.
    public func scan<T>(chunks: Int? = nil, _ body: @Sendable (Range<Int>, inout Scratch) -> T) -> [T] {
        let ranges = chunkRanges(chunks)
        let mentorCount = instance.mentors.count
        return parallelMap(ranges.count) { c in
            var scratch = Scratch(mentors: mentorCount)
            return body(ranges[c], &scratch)
        }
    }

    /// Contiguous ranges of mentee slots, `chunks` of them (default: eight per core).
    fileprivate func chunkRanges(_ chunks: Int? = nil) -> [Range<Int>] {
        let n = instance.mentees.count
        let count = max(1, min(n, chunks ?? ProcessInfo.processInfo.activeProcessorCount * 8))
        return (0..<count).map { c in (n * c / count)..<(n * (c + 1) / count) }
    }
}

extension PairScanner {
    /// ``scan(chunks:_:)`` with state per worker: one worker per core takes the chunks in
    /// turn and keeps its `Lane` across them (state that gains from seeing many mentees,
    /// such as each mentor's best mentees: split per chunk, each list would take far more
    /// offers). Results come in mentee order, lanes in no particular order.
    public func scan<T, Lane>(
        lanes makeLane: @Sendable () -> Lane,
        _ body: @Sendable (Range<Int>, inout Scratch, inout Lane) -> T
    ) -> (results: [T], lanes: [Lane]) {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let ranges = chunkRanges()
        let count = ranges.count
        let mentorCount = instance.mentors.count
        let results = ResultSlots<T>(count: count)
        let lanes = ResultSlots<Lane>(count: cores)
        let next = ChunkCounter()
        DispatchQueue.concurrentPerform(iterations: cores) { w in
            var scratch = Scratch(mentors: mentorCount)
            var lane = makeLane()
            while let c = next.take(below: count) { results.set(c, body(ranges[c], &scratch, &lane)) }
            lanes.set(w, lane)
        }
        return (results.values(), lanes.values())
    }
}

/// One scratch shared by calls that may come from any thread, one at a time.
final class SpareScratch: @unchecked Sendable {
    private var scratch: PairScanner.Scratch
    private let lock = NSLock()

    init(_ scratch: PairScanner.Scratch) { self.scratch = scratch }

    func with(_ body: (inout PairScanner.Scratch) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&scratch)
    }
}
