// The files of the demo case, made on the spot (nothing is downloaded): camera photos drawn as
// SVG and encoded by sharp with EXIF camera make, model and time; typed statements; and a
// P3-style medical examination report made with pdf-lib. Every person and event is invented.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import sharp from 'sharp';

export interface DemoPhoto {
  name: string;
  title: string;
  description: string;
  bytes: Buffer;
}

/** A small deterministic random sequence, so that the demo files are the same every time. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

function speckles(w: number, h: number, seed: number, n: number, colour: string): string {
  const r = prng(seed);
  let out = '';
  for (let i = 0; i < n; i++) {
    out += `<circle cx="${(r() * w).toFixed(1)}" cy="${(r() * h).toFixed(1)}" r="${(0.5 + r() * 2.5).toFixed(1)}" fill="${colour}" opacity="${(0.15 + r() * 0.35).toFixed(2)}"/>`;
  }
  return out;
}

/** A yellow evidence marker with a number drawn as tally bars (no fonts needed). */
function marker(x: number, y: number, bars: number): string {
  let s = `<polygon points="${x},${y + 60} ${x + 30},${y} ${x + 60},${y + 60}" fill="#f2c200" stroke="#5a4700" stroke-width="2"/>`;
  for (let i = 0; i < bars; i++) {
    s += `<rect x="${x + 22 + i * 7}" y="${y + 34}" width="4" height="18" fill="#222"/>`;
  }
  return s;
}

/** A scale bar in centimetres, as forensic photographers lay beside an object. */
function scale(x: number, y: number, w: number): string {
  let s = `<rect x="${x}" y="${y}" width="${w}" height="24" fill="#fafafa" stroke="#333"/>`;
  const step = w / 10;
  for (let i = 0; i < 10; i++) {
    if (i % 2 === 0)
      s += `<rect x="${x + i * step}" y="${y}" width="${step}" height="12" fill="#222"/>`;
  }
  return s;
}

function cellSvg(w: number, h: number): string {
  let bars = '';
  for (let i = 0; i < 9; i++)
    bars += `<rect x="${140 + i * 60}" y="90" width="14" height="${h - 200}" fill="#3d3d3d"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <rect width="${w}" height="${h}" fill="#8c8677"/>
  <rect y="${h - 140}" width="${w}" height="140" fill="#5e594f"/>
  <rect x="120" y="70" width="560" height="${h - 170}" fill="none" stroke="#2c2c2c" stroke-width="16"/>
  ${bars}
  <rect x="120" y="${h / 2 - 10}" width="560" height="14" fill="#2c2c2c"/>
  <rect x="600" y="${h / 2 - 40}" width="40" height="70" fill="#6b5d3a"/>
  ${speckles(w, h, 11, 900, '#2b2720')}
  ${marker(700, h - 110, 1)}
</svg>`;
}

function shirtSvg(w: number, h: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <rect width="${w}" height="${h}" fill="#d9d4c7"/>
  <path d="M${w / 2 - 190},140 L${w / 2 - 60},100 Q${w / 2},140 ${w / 2 + 60},100 L${w / 2 + 190},140 L${w / 2 + 290},300 L${w / 2 + 200},350 L${w / 2 + 160},290 L${w / 2 + 160},${h - 160} L${w / 2 - 160},${h - 160} L${w / 2 - 160},290 L${w / 2 - 200},350 L${w / 2 - 290},300 Z" fill="#2f5d8a" stroke="#1c3a57" stroke-width="4"/>
  <ellipse cx="${w / 2 + 40}" cy="${h / 2 - 20}" rx="70" ry="45" fill="#5a1d1d" opacity="0.75"/>
  <ellipse cx="${w / 2 - 70}" cy="${h / 2 + 90}" rx="30" ry="22" fill="#5a1d1d" opacity="0.6"/>
  <line x1="${w / 2}" y1="130" x2="${w / 2}" y2="${h - 160}" stroke="#1c3a57" stroke-width="3"/>
  ${speckles(w, h, 23, 500, '#6e6a60')}
  ${scale(w / 2 - 150, h - 110, 300)}
  ${marker(60, h - 120, 2)}
</svg>`;
}

function roadSvg(w: number, h: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <rect width="${w}" height="${h * 0.45}" fill="#9cc3e0"/>
  <rect y="${h * 0.45}" width="${w}" height="${h * 0.55}" fill="#a0784d"/>
  <polygon points="${w * 0.42},${h * 0.45} ${w * 0.58},${h * 0.45} ${w * 0.95},${h} ${w * 0.05},${h}" fill="#4a4a48"/>
  <rect x="${w * 0.1}" y="${h * 0.25}" width="${w * 0.22}" height="${h * 0.2}" fill="#e8e1cf" stroke="#6d6a60" stroke-width="3"/>
  <rect x="${w * 0.16}" y="${h * 0.33}" width="${w * 0.05}" height="${h * 0.12}" fill="#4d3b26"/>
  <polygon points="${w * 0.08},${h * 0.25} ${w * 0.21},${h * 0.17} ${w * 0.34},${h * 0.25}" fill="#8c2d1e"/>
  <circle cx="${w * 0.8}" cy="${h * 0.3}" r="${h * 0.12}" fill="#3f7a3a"/>
  <rect x="${w * 0.79}" y="${h * 0.38}" width="${w * 0.02}" height="${h * 0.1}" fill="#5a4126"/>
  ${speckles(w, h, 37, 700, '#2e2a24')}
  ${marker(w * 0.55, h * 0.75, 3)}
</svg>`;
}

async function photo(
  svg: string,
  camera: { make: string; model: string; software: string },
  takenAt: string,
  /** Store the pixels turned a quarter left with EXIF orientation 6, as phones held upright do. */
  sideways: boolean,
): Promise<Buffer> {
  let img = sharp(Buffer.from(svg));
  if (sideways) img = sharp(await img.png().toBuffer()).rotate(-90);
  return img
    .jpeg({ quality: 86 })
    .withExif({
      IFD0: { Make: camera.make, Model: camera.model, Software: camera.software },
      IFD2: { DateTimeOriginal: takenAt, OffsetTimeOriginal: '+03:00' },
    })
    .withMetadata({ orientation: sideways ? 6 : 1 })
    .toBuffer();
}

export async function demoPhotos(): Promise<DemoPhoto[]> {
  const phone = { make: 'TECNO', model: 'CAMON 20 Pro', software: 'CK8n-H895ABC-T-GL-230530V515' };
  const camera = { make: 'Canon', model: 'Canon EOS 2000D', software: 'Firmware Version 1.0.1' };
  return [
    {
      name: 'IMG_20260314_092653.jpg',
      title: 'Cell 3 at Kilimani Police Station',
      description: 'The door of cell 3, photographed from the corridor; marker 1 by the door.',
      bytes: await photo(cellSvg(800, 600), phone, '2026:03:14 09:26:53', false),
    },
    {
      name: 'IMG_20260314_093410.jpg',
      title: 'Blue shirt worn by the complainant',
      description: 'Front of the shirt with two dark stains; scale bar in centimetres; marker 2.',
      bytes: await photo(shirtSvg(800, 1000), camera, '2026:03:14 09:34:10', true),
    },
    {
      name: 'IMG_20260313_174502.jpg',
      title: 'Road outside the station',
      description: 'Where the complainant was arrested, looking north; marker 3 on the verge.',
      bytes: await photo(roadSvg(900, 600), phone, '2026:03:13 17:45:02', false),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Statements

export interface DemoStatement {
  name: string;
  title: string;
  /** The name of the witness who made it, as typed in the text. */
  maker: string;
  text: string;
}

/** The names the demo case uses: all invented. */
export const DEMO_PEOPLE = {
  complainant: 'Otieno Baraka Ouma',
  witness: 'Wanjikũ Njeri Kamau',
  witnessPseudonym: 'PW2',
  officer: 'Corporal Kiprono Kibet Langat',
  doctor: 'Dr. Halima Abdi Hassan',
  investigator: 'Achieng Atieno Odera',
} as const;

export function demoStatements(): DemoStatement[] {
  const p = DEMO_PEOPLE;
  return [
    {
      name: 'statement-complainant.txt',
      title: `Statement of ${p.complainant}`,
      maker: p.complainant,
      text: `STATEMENT OF WITNESS

Name: ${p.complainant}
Age: 24 years
Occupation: boda boda rider
Residence: Kibera, Nairobi
Language: English

I am the above named. On 13 March 2026 at about 5.30 pm I was riding my motorcycle on the road outside Kilimani Police Station when I was stopped by three police officers. One of them, whom I later knew as ${p.officer}, asked for my licence. I showed it to him. He said it was not valid and ordered me to go with them into the station.

Inside the station I was put in cell 3. At about 8 pm ${p.officer} came to the cell with another officer whose name I do not know. He hit me with a baton on my back and on my left arm several times. I was wearing a blue shirt. I was bleeding from my arm and my nose.

I was released the next morning, 14 March 2026, without any charge. I went to the hospital where I was examined by ${p.doctor}, who filled a P3 form. I gave my blue shirt to the investigator of the Independent Medico-Legal Unit, ${p.investigator}.

${p.witness} was in the cell next to mine and saw what happened.

This statement is true to the best of my knowledge and belief.
`,
    },
    {
      name: 'statement-witness-pw2.txt',
      title: 'Statement of protected witness PW2',
      maker: p.witness,
      text: `STATEMENT OF WITNESS

Name: ${p.witness}
Age: 31 years
Occupation: trader
Language: English

I am the above named. On 13 March 2026 I was held at Kilimani Police Station in the cell next to cell 3. At about 8 pm I heard shouting. Through the bars I saw a police officer beating a young man with a baton. The young man was crying for help. I later learnt that his name was ${p.complainant}.

I am afraid of the police officers at that station. I ask that my name is not made public.

Signed: ${p.witness}
`,
    },
    {
      name: 'taarifa-ya-shahidi-sw.txt',
      title: `Taarifa ya shahidi ${p.witnessPseudonym} (Kiswahili)`,
      maker: p.witness,
      text: `TAARIFA YA SHAHIDI

Jina: ${p.witness}
Lugha: Kiswahili

Mimi ni ${p.witness}. Tarehe 13 Machi 2026 nilikuwa nimezuiliwa katika kituo cha polisi cha Kilimani. Saa mbili usiku nilimwona afisa wa polisi akimpiga kijana kwa rungu. Kijana huyo aliitwa ${p.complainant}. Alikuwa akilia na kuomba msaada.

Ninaogopa maafisa wa kituo hicho. Naomba jina langu lisitangazwe.

Taarifa hii ni ya kweli kwa kadri ya ufahamu wangu — nimeisoma na kuielewa.
Sahihi: ${p.witness}
`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// The P3-style medical report

function field(
  page: PDFPage,
  font: PDFFont,
  bold: PDFFont,
  y: number,
  label: string,
  value: string,
): number {
  page.drawText(label, { x: 56, y, size: 9.5, font: bold });
  const lines = wrap(value, font, 9.5, 300);
  lines.forEach((l, i) => page.drawText(l, { x: 240, y: y - i * 13, size: 9.5, font }));
  page.drawLine({
    start: { x: 238, y: y - (lines.length - 1) * 13 - 3 },
    end: { x: 540, y: y - (lines.length - 1) * 13 - 3 },
    thickness: 0.4,
    color: rgb(0.5, 0.5, 0.5),
  });
  return y - lines.length * 13 - 8;
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      out.push(line);
      line = word;
    } else line = next;
  }
  if (line) out.push(line);
  return out.length ? out : [''];
}

function heading(page: PDFPage, bold: PDFFont, y: number, text: string): number {
  page.drawRectangle({ x: 50, y: y - 4, width: 495, height: 16, color: rgb(0.88, 0.88, 0.88) });
  page.drawText(text, { x: 56, y, size: 10, font: bold });
  return y - 24;
}

/** A two-page medical examination report laid out like the Kenya Police P3 form. */
export async function demoP3Report(): Promise<Uint8Array> {
  const p = DEMO_PEOPLE;
  // Fixed dates keep the file the same every time it is made.
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle('Medical examination report (P3) - Otieno Baraka Ouma');
  doc.setProducer('Kesi demo generator (pdf-lib)');
  doc.setCreator('Kesi demo');
  doc.setCreationDate(new Date('2026-03-14T11:20:00+03:00'));
  doc.setModificationDate(new Date('2026-03-14T11:20:00+03:00'));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);

  const p1 = doc.addPage([595.28, 841.89]);
  let y = 790;
  p1.drawText('DEMONSTRATION DOCUMENT - ALL NAMES INVENTED', {
    x: 160,
    y: 815,
    size: 8,
    font: bold,
    color: rgb(0.7, 0.1, 0.1),
  });
  p1.drawText('KENYA POLICE', { x: 250, y, size: 14, font: bold });
  y -= 18;
  p1.drawText('MEDICAL EXAMINATION REPORT', { x: 205, y, size: 12, font: bold });
  y -= 14;
  p1.drawText('(Form P3, demo layout)', { x: 247, y, size: 9, font });
  y -= 30;
  y = heading(p1, bold, y, 'PART I - TO BE COMPLETED BY THE POLICE OFFICER REQUESTING EXAMINATION');
  y = field(p1, font, bold, y, 'Police station:', 'Kilimani Police Station, Nairobi');
  y = field(p1, font, bold, y, 'OB number:', 'OB 41/14/03/2026');
  y = field(p1, font, bold, y, 'Name of person to be examined:', p.complainant);
  y = field(p1, font, bold, y, 'Age / sex:', '24 years, male');
  y = field(p1, font, bold, y, 'Alleged offence:', 'Assault causing actual bodily harm');
  y = field(p1, font, bold, y, 'Date and time of alleged offence:', '13 March 2026, about 20:00');
  y = field(
    p1,
    font,
    bold,
    y,
    'Brief details:',
    'Complainant reports being beaten with a baton on the back and left arm while held in cell 3.',
  );
  y -= 6;
  y = heading(p1, bold, y, 'PART II - TO BE COMPLETED BY THE MEDICAL PRACTITIONER');
  y = field(p1, font, bold, y, 'Date and time of examination:', '14 March 2026, 11:05');
  y = field(
    p1,
    font,
    bold,
    y,
    'Place of examination:',
    'Nairobi West Hospital (demo), outpatient department',
  );
  y = field(
    p1,
    font,
    bold,
    y,
    'General condition:',
    'Alert, in pain, walking unaided. Clothing removed for examination; blue shirt with dark stains handed to the investigator.',
  );
  y = field(
    p1,
    font,
    bold,
    y,
    'Head and neck:',
    'Dried blood at both nostrils. Nasal bridge tender, no deformity.',
  );
  y = field(
    p1,
    font,
    bold,
    y,
    'Thorax and back:',
    'Three parallel linear bruises, 12 cm, 10 cm and 9 cm long and 2 cm wide, across the left upper back ("tramline" pattern).',
  );
  y = field(
    p1,
    font,
    bold,
    y,
    'Upper limbs:',
    'Left forearm: swelling and a bruise 6 x 4 cm; a laceration 2 cm long on the back of the forearm. Movement painful.',
  );
  y = field(p1, font, bold, y, 'Lower limbs:', 'No injuries seen.');
  field(p1, font, bold, y, 'Approximate age of injuries:', 'About 12 to 24 hours.');

  const p2 = doc.addPage([595.28, 841.89]);
  y = 790;
  y = heading(p2, bold, y, 'PART II (continued)');
  y = field(
    p2,
    font,
    bold,
    y,
    'Probable type of weapon:',
    'Blunt object, long and rounded (consistent with a baton).',
  );
  y = field(
    p2,
    font,
    bold,
    y,
    'Treatment given:',
    'Wound cleaned and closed with adhesive strips. X-ray of the left forearm: no fracture. Analgesics.',
  );
  y = field(p2, font, bold, y, 'Degree of injury:', 'HARM');
  y = field(p2, font, bold, y, 'Samples taken:', 'None.');
  y = field(
    p2,
    font,
    bold,
    y,
    'Remarks:',
    'The injuries are consistent with the account given by the patient of being struck several times with a baton.',
  );
  y -= 20;
  y = field(p2, font, bold, y, 'Name of medical practitioner:', p.doctor);
  y = field(p2, font, bold, y, 'Qualifications:', 'MBChB (Nairobi), Medical Officer');
  y = field(p2, font, bold, y, 'Registration number:', 'KMPDC A0000 (demo)');
  y = field(p2, font, bold, y, 'Signature:', ' ');
  field(p2, font, bold, y, 'Date:', '14 March 2026');
  p2.drawText('Stamp', { x: 420, y: 520, size: 9, font, color: rgb(0.4, 0.4, 0.4) });
  p2.drawEllipse({
    x: 450,
    y: 470,
    xScale: 60,
    yScale: 38,
    borderColor: rgb(0.2, 0.3, 0.6),
    borderWidth: 1.5,
  });
  return doc.save({ useObjectStreams: false });
}
