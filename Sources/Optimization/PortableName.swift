/// Names that survive every model file format: ASCII letters, digits and
/// `_ . ( ) [ ] { }`, at most 255 characters, not starting with a digit or `.`.
public enum PortableName {
    public static func make(_ raw: String) -> String {
        var out = ""
        for scalar in raw.unicodeScalars {
            let v = scalar.value
            let ok = (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) || "_.()[]{}".unicodeScalars.contains(scalar)
            out.unicodeScalars.append(ok ? scalar : "_")
        }
        if out.isEmpty { out = "_" }
        if let f = out.unicodeScalars.first, (f.value >= 48 && f.value <= 57) || f == "." { out = "_" + out }
        if out.utf8.count > 240 { out = String(decoding: Array(out.utf8.prefix(240)), as: UTF8.self) }
        return out
    }

    /// Hands out unique portable names, suffixing repeats.
    public struct Registry {
        private var used: Set<String> = []
        public init() {}
        public mutating func unique(_ raw: String) -> String {
            let base = make(raw)
            var name = base
            var n = 2
            while !used.insert(name).inserted {
                name = "\(base)_\(n)"
                n += 1
            }
            return name
        }
    }
}
