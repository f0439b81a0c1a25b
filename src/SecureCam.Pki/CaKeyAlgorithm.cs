namespace SecureCam.Pki;

/// <summary>Key types the CA itself may have. Leaf certificates always get ECDSA P-256.</summary>
public enum CaKeyAlgorithm
{
    /// <summary>The default: small, fast, accepted by every phone and browser in use.</summary>
    EcdsaP256,

    /// <summary>For those who want a larger curve on the root.</summary>
    EcdsaP384,

    /// <summary>For old clients that cannot verify ECDSA signatures.</summary>
    Rsa3072,
}
