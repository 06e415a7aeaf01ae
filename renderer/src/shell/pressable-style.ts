// React Aria injects an inline <style> for pressable elements unless an element with the id below
// is already in the document; the page's CSP (style-src 'self') would block that <style>. So the
// same rule ships in styles/base.css, and this module places the marker before anything renders.
const REACT_ARIA_PRESSABLE_STYLE_ID = 'react-aria-pressable-style';

if (typeof document !== 'undefined' && document.getElementById(REACT_ARIA_PRESSABLE_STYLE_ID) === null) {
  const marker = document.createElement('meta');
  marker.id = REACT_ARIA_PRESSABLE_STYLE_ID;
  marker.name = 'wardline-pressable-style';
  marker.content = 'in base.css';
  document.head.append(marker);
}

export {};
