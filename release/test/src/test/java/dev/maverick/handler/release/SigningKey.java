package dev.maverick.handler.release;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyEncryptorBuilder;

/**
 * A throwaway OpenPGP signing key, made for one rehearsal: handed to the release job as a CI job gets a real one
 * (MAVEN_GPG_KEY, MAVEN_GPG_PASSPHRASE), and used to check the signatures the release carries.
 */
final class SigningKey {
  private final PGPSecretKeyRing secretKeys;
  private final String passphrase;

  private SigningKey(PGPSecretKeyRing secretKeys, String passphrase) {
    this.secretKeys = secretKeys;
    this.passphrase = passphrase;
  }

  static SigningKey generate(String passphrase) throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    JcaPGPKeyPair keyPair = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL,
        rsa.generateKeyPair(), new Date());
    PGPDigestCalculator sha1 = new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1);
    PGPSignatureSubpacketGenerator usage = new PGPSignatureSubpacketGenerator();
    usage.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
    PGPKeyRingGenerator ring = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, keyPair,
        "Maverick Handlers release rehearsal <release-test@maverick.invalid>", sha1, usage.generate(), null,
        new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256),
        new JcePBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, sha1).build(passphrase.toCharArray()));
    return new SigningKey(ring.generateSecretKeyRing(), passphrase);
  }

  /** The secret key as MAVEN_GPG_KEY takes it: ASCII-armoured, encrypted with the passphrase. */
  String armoredSecretKey() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ArmoredOutputStream armored = new ArmoredOutputStream(bytes)) {
      secretKeys.encode(armored);
    }
    return bytes.toString(StandardCharsets.US_ASCII);
  }

  String passphrase() {
    return passphrase;
  }

  /** Whether {@code signature} (an armoured detached .asc) is this key's valid signature of {@code file}. */
  boolean signed(Path file, Path signature) throws IOException, PGPException {
    PGPPublicKey publicKey = secretKeys.getPublicKey();
    try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(signature))) {
      Object first = new JcaPGPObjectFactory(in).nextObject();
      if (!(first instanceof PGPSignatureList) || ((PGPSignatureList) first).isEmpty()) {
        return false;
      }
      PGPSignature pgpSignature = ((PGPSignatureList) first).get(0);
      if (pgpSignature.getKeyID() != publicKey.getKeyID()) {
        return false;
      }
      pgpSignature.init(new JcaPGPContentVerifierBuilderProvider(), publicKey);
      try (InputStream data = Files.newInputStream(file)) {
        byte[] buffer = new byte[1 << 16];
        for (int read; (read = data.read(buffer)) > 0;) {
          pgpSignature.update(buffer, 0, read);
        }
      }
      return pgpSignature.verify();
    }
  }
}
