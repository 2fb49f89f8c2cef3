import { LEVEL_COLORS, LEVEL_TEXT_COLORS, LEVELS } from '../domain/advisories/levels.ts';

/*
 * The site's one stylesheet (served at /site.css, cached like every public read). Logical
 * properties (margin-inline-start, text-align: start…) mirror the layout for right-to-left pages
 * without a second sheet. Level colours come from the domain's table, as on the console's map.
 */
const levelRules = LEVELS.map(
  (l) =>
    `.level-${l}{background:${LEVEL_COLORS[l]};color:${LEVEL_TEXT_COLORS[l]}}.swatch-${l}{background:${LEVEL_COLORS[l]}}`,
).join('');

export const SITE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",sans-serif;line-height:1.5;color:#1c2733;background:#fff}
body{margin:0}
a{color:#0b4f9c}
a:hover{color:#063a75}
:focus-visible{outline:3px solid #ffbf47;outline-offset:2px;box-shadow:0 0 0 5px #1c2733}
.skip{position:absolute;inset-inline-start:.5rem;top:-4rem;background:#1c2733;color:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{top:.5rem}
.wrap{max-width:64rem;margin:0 auto;padding:0 1rem}
header.site{background:#1c2733;color:#fff}
header.site .wrap{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between;padding-block:.75rem}
header.site a{color:#fff}
.brand{font-weight:700;font-size:1.25rem;text-decoration:none}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.langs{display:flex;gap:.75rem;align-items:center}
.langs [aria-current]{font-weight:700;text-decoration:none}
main{padding-block:1.5rem 3rem}
h1{font-size:2rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.4rem;margin:2rem 0 .75rem}
h3{font-size:1.1rem;margin:1.25rem 0 .5rem}
.badge{display:inline-block;padding:.3rem .75rem;border-radius:.25rem;font-weight:700}
[data-testid=level] .badge,.answer{font-size:1.25rem}
.swatch{display:inline-block;width:1rem;height:1rem;border-radius:2px;vertical-align:middle;margin-inline-end:.4rem;border:1px solid #1c2733}
ul.plain{list-style:none;padding:0;margin:0}
ul.plain>li{margin:.35rem 0}
ul.indicators>li{display:inline-block;margin-block:0;margin-inline:0 1rem}
.card{border:1px solid #c5ccd3;border-radius:.4rem;padding:1rem;margin:1rem 0}
.card h3{margin-top:0}
.posture{border-inline-start:6px solid #c9252c;padding-inline-start:.75rem}
.posture-normal{border-inline-start-color:#2f6fb5}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
.note{color:#4a5866;font-size:.95rem}
.notice{background:#fff4d6;border:1px solid #c99a06;padding:.5rem .75rem;border-radius:.25rem}
.drill{background:#e8e0ff;border:2px solid #5a3fc0;padding:.5rem .75rem;font-weight:700}
form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
label{display:block;font-weight:600;margin-bottom:.25rem}
input[type=search],input[type=text],input[type=number]{font:inherit;padding:.5rem .6rem;border:2px solid #1c2733;border-radius:.25rem;min-width:16rem;max-width:100%}
button,.button{font:inherit;display:inline-block;padding:.5rem 1rem;border:2px solid #0b4f9c;border-radius:.25rem;background:#0b4f9c;color:#fff;text-decoration:none;cursor:pointer}
.button.secondary{background:#fff;color:#0b4f9c}
.hint{color:#4a5866;margin:.25rem 0}
.ctas{display:flex;flex-wrap:wrap;gap:1rem}
.ctas>div{flex:1 1 18rem}
.map{height:26rem;border:1px solid #c5ccd3;border-radius:.4rem;margin:1rem 0;background:#d4e1ea}
.map:empty{display:none}
.levels-list{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem}
.diff ins{background:#dff3e4;text-decoration:none}
.diff del{background:#fbe3e4}
.body{max-width:46rem}
.changes time{color:#4a5866;margin-inline-end:.5rem}
footer.site{border-top:1px solid #c5ccd3;padding-block:1.5rem;font-size:.95rem}
footer.site ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
[dir=rtl] .ltr{direction:ltr;unicode-bidi:isolate}
${levelRules}
`
  .trim()
  .replace(/\n/g, '');
