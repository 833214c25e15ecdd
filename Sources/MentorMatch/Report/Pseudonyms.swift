import Crypto
import Foundation

/// Stable pseudonyms: the same id and key always give the same pseudonym, and
/// without the key (a random secret kept in the store) one cannot be traced
/// back to its id — not even by trying every id of the roster, since each trial
/// needs the key. HMAC-SHA256 (RFC 2104) is the keyed hash made for this.
public struct Pseudonyms: Sendable {
    private let key: SymmetricKey
    private var used: [String: String] = [:]
    private var taken: Set<String> = []

    public init(key: String) { self.key = SymmetricKey(data: Data(key.utf8)) }

    /// "Person-XXXXXX": the first 60 bits of HMAC-SHA256(key, id) in a 32-letter
    /// alphabet without look-alikes, lengthened on the rare collision.
    public mutating func name(for id: String) -> String {
        if let n = used[id] { return n }
        let mac = Array(HMAC<SHA256>.authenticationCode(for: Data(id.utf8), using: key))
        var x = mac.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var code = ""
        for _ in 0..<12 {
            code.append(alphabet[Int(x % 32)])
            x /= 32
        }
        var length = 6
        var name = "Person-" + code.prefix(length)
        while taken.contains(name) && length < 12 {
            length += 1
            name = "Person-" + code.prefix(length)
        }
        used[id] = name
        taken.insert(name)
        return name
    }
}
