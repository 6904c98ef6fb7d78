/**
 * Letters that look like a Latin letter or digit, listed under the one they look like: Unicode's
 * confusables (UTS #39, confusables.txt 14.0) for the Latin, Greek, Cyrillic, Armenian, Cherokee,
 * Coptic, Lisu and Canadian syllabic scripts, and the Latin small capitals. Capitals and small letters
 * are listed as written; affiliations are compared with case folded first, so a capital brings its
 * small letter along (Cyrillic "в" reads as "b" because "В" looks like "B"). Characters that Unicode
 * NFKC already folds to one of these (fullwidth, mathematical letters) are not listed.
 *
 * Where a small letter and its capital look like different Latin letters, one was chosen, so that
 * "ΒΕΤΑ" and "βετα" stay one spelling: Greek "β" and "η" read as their capitals "B" and "H", Cyrillic
 * "б" as "Б" ("b", not "6"). Greek "ν"/"Ν" and "υ"/"Υ" are listed under both letters they look like
 * (v and n, u and y); `affiliation.ts` makes each of those pairs one letter.
 */
export const LOOKALIKES: Readonly<Record<string, string>> = {
  a: "ɑαаΑАᎪᗅꓮᴀ",
  b: "ƄЬᏏᑲᖯꞴΒβВᏴᗷꓐɓᑳƃƂБбƀҍҌѣѢʙ",
  c: "ᴄⲥсꮯⲤСᏟꓚȼҫҪ",
  d: "ԁᏧᑯꓒᎠᗞᗪꓓɗɖƌđĐÐƉᴅ",
  e: "ꬲеҽΕЕᎬꓰɇɆҿᴇ",
  f: "ꬵꞙẝքꞘϜᖴꓝƒƑᵮꜰ",
  g: "ɡᶃƍցԌᏀᏳꓖɠǥǤɢ",
  h: "һհᏂΗηⲎНᎻᕼꓧɦꚕᏲⱧҢħћĦӉӇʜ",
  i: "ɪɩιіꙇӏꭵᎥɨᵻᵼ",
  j: "ϳјꞲͿЈᎫᒍꓙɉɈᴊ",
  k: "ΚⲔКᏦꓗƙⱩҚꝀҞĸᴋ",
  l: "ƖǀΙⲒІӀꓲⳐᏞᒪꓡłŁɭƗƚɫʟ",
  m: "ΜϺⲘМᎷᗰꓟӍᴍ",
  n: "ոռΝⲚꓠɳƞƝᵰɴ",
  o: "ᴏᴑꬽοσⲟоօΟⲞОՕꓳøꬾØɵꝋөѳꮎꮻƟꝊθΘӨѲᎾᏫꭴ",
  p: "ρⲣрΡⲢРᏢᑭꓑƥᵽᴘ",
  q: "ԛգզʠ",
  r: "ꭇꭈᴦⲅгꮁƦᎡᏒᖇꓣɽɼɍғᵲʀ",
  s: "ꜱƽѕꮪЅՏᏕᏚꓢʂᵴ",
  t: "ΤⲦТᎢꓔƭȾƮҬŧŦᵵᴛ",
  u: "ꞟᴜꭎꭒʋυսՍᑌꓴᵾꮜɄᏌ",
  v: "ᴠνѵꮩѴᏙᐯꓦ",
  w: "ɯᴡѡԝաꮃԜᎳᏔꓪѽꝡ",
  x: "хᕁᕽꞳΧⲬХꓫҲ",
  y: "ɣᶌʏỿꭚγуүΥⲨУҮᎩᎽꓬƴɏұɎҰ",
  z: "ᴢꮓΖᏃꓜʐƶƵȥȤᵶ",
  "2": "ꝚƧϨꙄᒿƻ",
  "3": "ꞫȜƷꝪⳌЗӠҘ",
  "4": "Ꮞ",
  "6": "ⳒᏮ",
  "8": "ȣȢ",
  "9": "ꝮⳊ",
  ae: "æӕÆӔ",
  oe: "œŒ",
  aa: "ꜳꜲ",
  ao: "ꜵꜴ",
  au: "ꜷꜶ",
  av: "ꜹꜻꜸꜺ",
  ay: "ꜽꜼ",
  dz: "ʣ",
  ll: "ǁ",
  ls: "ʪ",
  lz: "ʫ",
  oo: "ꝏꚙꝎꚘ",
  rn: "ɱᵯ",
  tf: "ꝷ",
  ts: "ʦ",
  ue: "ᵫ",
  uo: "ꭣ",
};
