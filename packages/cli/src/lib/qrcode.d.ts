// qrcode ships no types: the one function we call.
declare module 'qrcode' {
  const QRCode: {
    create(
      text: string,
      options: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' },
    ): { version: number; modules: { size: number; get(row: number, col: number): number } };
  };
  export default QRCode;
}
