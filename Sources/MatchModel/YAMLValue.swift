import Yams

/// A YAML node with its location, read with typed accessors that record a
/// located diagnostic instead of failing.
struct YAMLValue {
    let node: Node
    let file: String

    var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    var isNull: Bool {
        guard case .scalar(let s) = node else { return false }
        return s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    var plainScalar: String? {
        guard case .scalar(let s) = node else { return nil }
        return s.string
    }

    var isQuoted: Bool {
        guard case .scalar(let s) = node else { return false }
        return s.style != .plain
    }

    /// Mapping entries in file order, keys as strings.
    func mapping(_ what: String, _ d: inout Diagnostics) -> [(key: String, keyLocation: SourceLocation, value: YAMLValue)]? {
        guard case .mapping(let m) = node else {
            d.error(location, "\(what) must be a mapping of keys to values")
            return nil
        }
        var out: [(String, SourceLocation, YAMLValue)] = []
        var seen: Set<String> = []
        for (k, v) in m {
            let kv = YAMLValue(node: k, file: file)
            guard let key = kv.plainScalar else {
                d.error(kv.location, "\(what): keys must be plain words")
                continue
            }
            if !seen.insert(key).inserted {
                d.error(kv.location, "\(what): '\(key)' is given twice")
                continue
            }
            out.append((key, kv.location, YAMLValue(node: v, file: file)))
        }
        return out
    }

    func sequence(_ what: String, _ d: inout Diagnostics) -> [YAMLValue]? {
        guard case .sequence(let s) = node else {
            d.error(location, "\(what) must be a list")
            return nil
        }
        return s.map { YAMLValue(node: $0, file: file) }
    }

    func string(_ what: String, _ d: inout Diagnostics) -> String? {
        guard let s = plainScalar, !isNull || isQuoted else {
            d.error(location, "\(what) must be text")
            return nil
        }
        return s
    }

    func int(_ what: String, range: ClosedRange<Int>? = nil, _ d: inout Diagnostics) -> Int? {
        guard let s = plainScalar, !isQuoted, let v = Int(s) else {
            d.error(
                location,
                "\(what) must be a whole number\(range.map { " from \($0.lowerBound) to \($0.upperBound)" } ?? ""), not '\(plainScalar ?? "a \(kind)")'"
            )
            return nil
        }
        if let r = range, !r.contains(v) {
            d.error(location, "\(what) must be from \(r.lowerBound) to \(r.upperBound), not \(v)")
            return nil
        }
        return v
    }

    func double(_ what: String, range: ClosedRange<Double>? = nil, _ d: inout Diagnostics) -> Double? {
        guard let s = plainScalar, !isQuoted, let v = Double(s), v.isFinite else {
            d.error(
                location,
                "\(what) must be a number\(range.map { " from \($0.lowerBound) to \($0.upperBound)" } ?? ""), not '\(plainScalar ?? "a \(kind)")'")
            return nil
        }
        if let r = range, !r.contains(v) {
            d.error(location, "\(what) must be from \(r.lowerBound) to \(r.upperBound), not \(s)")
            return nil
        }
        return v
    }

    func bool(_ what: String, _ d: inout Diagnostics) -> Bool? {
        switch plainScalar?.lowercased() {
        case "true", "yes", "on": return isQuoted ? invalidBool(what, &d) : true
        case "false", "no", "off": return isQuoted ? invalidBool(what, &d) : false
        default: return invalidBool(what, &d)
        }
    }

    private func invalidBool(_ what: String, _ d: inout Diagnostics) -> Bool? {
        d.error(location, "\(what) must be true or false, not '\(plainScalar ?? "a \(kind)")'")
        return nil
    }

    private var kind: String {
        switch node {
        case .mapping: "mapping"
        case .sequence: "list"
        case .scalar: "value"
        case .alias: "alias"
        }
    }
}

/// Suggests the closest known word for a misspelt key.
public enum DidYouMean {
    public static func suggestion(for word: String, in candidates: [String]) -> String? {
        let w = word.lowercased()
        let length = w.count
        var best: (String, Int)?
        for c in candidates {
            // The distance is at least the difference in length: a long word
            // (a 3 MB header cell) is compared with nothing.
            guard abs(length - c.count) <= max(2, c.count / 3) else { continue }
            let d = distance(w, c.lowercased())
            if d <= max(2, c.count / 3), best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    public static func phrase(for word: String, in candidates: [String]) -> String {
        if let s = suggestion(for: word, in: candidates) { return "; did you mean '\(s)'?" }
        let shown = 20
        return "; expected one of: " + candidates.prefix(shown).joined(separator: ", ")
            + (candidates.count > shown ? " and \(candidates.count - shown) more" : "")
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = prev
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
