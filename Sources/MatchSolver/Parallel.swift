import Foundation

// Work on every core, results in order. Used by the pair scan, the solvers, the
// review (factor JSON for the store) and the proposal builder (unmatched reasons).

/// Hands out 0, 1, 2, … to workers, each number once.
final class ChunkCounter: @unchecked Sendable {
    private var next = 0
    private let lock = NSLock()

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < limit else { return nil }
        next += 1
        return next - 1
    }
}

/// `body(0) … body(n − 1)` on every core, results in index order.
public func parallelMap<T>(_ n: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let results = ResultSlots<T>(count: n)
    DispatchQueue.concurrentPerform(iterations: n) { i in results.set(i, body(i)) }
    return results.values()
}

/// `body` on consecutive slices of `elements`, `chunk` elements each, on every core; the
/// results in order.
public func parallelChunks<Element, T>(_ elements: [Element], chunk: Int, _ body: @Sendable (ArraySlice<Element>) -> T) -> [T] {
    let shared = UncheckedSendable(elements)
    return parallelMap((elements.count + chunk - 1) / chunk) { c in
        body(shared.value[(c * chunk)..<min(shared.value.count, (c + 1) * chunk)])
    }
}

/// A value handed to parallel workers that only read it.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}

/// Results written by parallel workers, each into its own slot.
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    func values() -> [T] { slots.map { $0! } }
}
