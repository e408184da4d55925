// The pages' own favicon (served as /portal/favicon.svg and /manage/dashboard/favicon.svg): a small inline SVG in
// the header's navy, three rising bars (scoring calls going through one gateway). No binary, no package file.
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="#0f3d5c"/>
<rect x="6" y="17" width="5" height="9" rx="1" fill="#9fd3ff"/>
<rect x="13.5" y="11" width="5" height="15" rx="1" fill="#fff"/>
<rect x="21" y="6" width="5" height="20" rx="1" fill="#9fd3ff"/>
</svg>
`;
