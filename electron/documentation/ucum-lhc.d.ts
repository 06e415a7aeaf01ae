// The part of @lhncbc/ucum-lhc (no bundled types) the UCUM converter uses.
declare module '@lhncbc/ucum-lhc' {
  interface ConversionResult {
    readonly status: 'succeeded' | 'failed' | 'error';
    readonly toVal: number | null;
    readonly msg: readonly string[];
  }
  interface UcumLhcUtils {
    convertUnitTo(fromUnit: string, fromValue: number, toUnit: string): ConversionResult;
  }
  const ucum: { readonly UcumLhcUtils: { getInstance(): UcumLhcUtils } };
  export default ucum;
}
