/// Stable pseudonyms: the same id and key always give the same pseudonym;
/// without the key (kept in the store) they cannot be traced back.
public struct Pseudonyms: Sendable {
    let key: String
    private var used: [String: String] = [:]
    private var taken: Set<String> = []

    public init(key: String) { self.key = key }

    /// "Person-XXXXXX" from FNV-1a over key and id; lengthened on the rare collision.
    public mutating func name(for id: String) -> String {
        if let n = used[id] { return n }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in (key + "\u{1F}" + id).utf8 { h ^= UInt64(b); h = h &* 0x100_0000_01b3 }
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var code = ""
        var x = h
        for _ in 0..<12 { code.append(alphabet[Int(x % 32)]); x /= 32 }
        var length = 6
        var name = "Person-" + code.prefix(length)
        while taken.contains(name) && length < 12 { length += 1; name = "Person-" + code.prefix(length) }
        used[id] = name
        taken.insert(name)
        return name
    }
}
