/// External compatibility scores (SPEC 9.6) by (mentor, mentee), stored compactly: ids are
/// interned once and each score is keyed by the two numbers, so ten million rows take a
/// flat table rather than ten million pairs of strings.
public struct PairScores: Sendable, Equatable {
    private var idNumber: [String: UInt32] = [:]
    private var names: [String] = []
    private var table: [UInt64: Double] = [:]

    /// Equal when they hold the same scores for the same pairs (whatever order ids were interned in).
    public static func == (a: PairScores, b: PairScores) -> Bool {
        a.count == b.count && a.table.allSatisfy { key, score in b[a.pair(key)] == score }
    }

    private func pair(_ key: UInt64) -> PairKey {
        PairKey(mentorID: names[Int(key >> 32)], menteeID: names[Int(key & 0xFFFF_FFFF)])
    }

    public init() {}

    public init(_ scores: [PairKey: Double]) {
        for (k, v) in scores { self[k] = v }
    }

    public var count: Int { table.count }
    public var isEmpty: Bool { table.isEmpty }

    /// The number an id was interned as, if any score names it.
    public func number(of id: String) -> UInt32? { idNumber[id] }

    /// The score of a pair of interned numbers.
    @inline(__always) public func score(mentor: UInt32, mentee: UInt32) -> Double? {
        table[UInt64(mentor) << 32 | UInt64(mentee)]
    }

    private mutating func intern(_ id: String) -> UInt32 {
        if let n = idNumber[id] { return n }
        let n = UInt32(idNumber.count)
        idNumber[id] = n
        names.append(id)
        return n
    }

    public subscript(pair: PairKey) -> Double? {
        get {
            guard let m = idNumber[pair.mentorID], let e = idNumber[pair.menteeID] else { return nil }
            return table[UInt64(m) << 32 | UInt64(e)]
        }
        set {
            let key = UInt64(intern(pair.mentorID)) << 32 | UInt64(intern(pair.menteeID))
            table[key] = newValue
        }
    }

    /// Sets a score only when the pair has none yet; returns whether it was set.
    @discardableResult
    public mutating func insertFirst(_ pair: PairKey, _ score: Double) -> Bool {
        let key = UInt64(intern(pair.mentorID)) << 32 | UInt64(intern(pair.menteeID))
        if table[key] != nil { return false }
        table[key] = score
        return true
    }

    public mutating func reserveCapacity(_ n: Int) { table.reserveCapacity(n) }
}
