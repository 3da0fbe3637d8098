// Plotly's French: day and month names, the date format and the separators, and the few words Plotly
// itself may print on our charts (plotly.js ships its locales apart from the bundle the plotly package
// serves; these are plotly.js's own French words, under its MIT licence). charts.js picks it on a
// French page.
(function () {
  "use strict";
  if (!window.Plotly) return;
  window.Plotly.register({
    moduleType: "locale",
    name: "fr",
    dictionary: {
      "Autoscale": "Échelle automatique",
      "Box Select": "Sélection rectangulaire",
      "Double-click to zoom back out": "Double-cliquez pour dézoomer",
      "Download plot": "Télécharger le graphique",
      "Download plot as a png": "Télécharger en PNG",
      "Lasso Select": "Sélection lasso",
      "Pan": "Translation",
      "Produced with Plotly.js": "Généré avec Plotly.js",
      "Reset": "Réinitialiser",
      "Reset axes": "Réinitialiser les axes",
      "Show closest data on hover": "Afficher les données les plus proches",
      "Toggle Spike Lines": "Activer/désactiver les pics",
      "Zoom": "Zoom",
      "Zoom in": "Zoom intérieur",
      "Zoom out": "Zoom extérieur",
      "max:": "max. :",
      "mean:": "moyenne :",
      "median:": "médiane :",
      "min:": "min. :",
      "new text": "nouveau texte",
      "trace": "trace"
    },
    format: {
      days: ["Dimanche", "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi"],
      shortDays: ["Dim", "Lun", "Mar", "Mer", "Jeu", "Ven", "Sam"],
      months: ["Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Août", "Septembre",
        "Octobre", "Novembre", "Décembre"],
      shortMonths: ["Janv", "Févr", "Mars", "Avr", "Mai", "Juin", "Juil", "Août", "Sept", "Oct", "Nov", "Déc"],
      date: "%d/%m/%Y",
      decimal: ",",
      thousands: " "
    }
  });
})();
