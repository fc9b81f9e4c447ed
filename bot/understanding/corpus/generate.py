import json, random, re, sys
random.seed(20261201)

TRAIN_NAMES = ['Megan','Megan Bowen','Alex Wilber','Adele','Adele Vance','Lee Gu','Patti','Patti Fernandez','Nestor','Diego','Renée','José Muñoz','Zoë','Jürgen','Keiko','Omar','Grace Kim','Paul','Ada','Ben','Cleo','Priya','Tom','Fatima','Luca','Chen Wei','Olga','Pradeep','Debra','Enrico']
EVAL_NAMES = ['Isaiah','Lynne Robbins','Johanna','Miriam Graham','Irvin','Christie','Siobhán','Sanjay Patel','Aisha','Tomás','Kwame','Ingrid','Mateo','Yuki','Henrietta','Brian','Joni Sherman','Lidia','Grady','Allan']

def nameform(n, rnd):
    r = rnd.random()
    if r < 0.45: return n
    if r < 0.75: return n.lower()
    if r < 0.85: return n.upper()
    return n.split()[0]

# Each template: (text with {n} {m} slots, command builder). Intents:
# myDelegates myDelegators whoCanTakeMyCall presence groupPresence call meetNow setStatus clearStatus permissions help None
D = {'kind':'myDelegates'}; X = {'kind':'myDelegators'}

def T(text, intent, **cmd):
    return (text, intent, cmd)

TRAIN = {
 'myDelegates': ['who is my delegate','who are my delegates','whos my assistant','who covers for me','who has access to my line','who can answer calls for me','list my delegates','show me my assistants','who is my backup','who picks up when im away','who is set up as my delegate','do i have any delegates','my delegates?','who did i give call access to','which people handle my phone','who are my stand ins','who answers my phone when im out','show the people who cover my calls','who is my pa','delegate list pls','who takes calls on my behalf','who is allowed to answer my calls','who manages my calls','i need to know who my delegates are','can u tell me who my delegate is','what delegates do i have','who is covering my calls','whos on my delegate list','who can pick up my line','people covering for me','MY DELEGATES','WHO COVERS MY PHONE','remind me who my assistant is','who did i set as my delegate','whos got my calls','who is my ea'],
 'myDelegators': ['who am i a delegate for','whose calls do i handle','who do i cover for','who am i covering for','whose delegate am i','which executives do i support','whose phone do i answer','who do i take calls for','list the people i cover','who are my bosses','show my executives','who have i been made delegate for','who do i work for as a delegate','whose line can i pick up','who delegated their calls to me','am i anyones delegate','who do i assist','whose assistant am i','which people can i answer for','who is my boss','who are my execs','WHO DO I COVER FOR','the people i answer calls for','who am i backing up','whos calls am i on','who has me as delegate','whose calls am i allowed to take','my executives pls','who do i pick up for','who is my exec'],
 'whoCanTakeMyCall': ['who can take my call now','who is free to take my calls','anyone free to pick up my calls','who can answer my phone right now','which delegate is free for my calls now','who can cover my calls rn','need someone to take my calls','can someone pick up my calls','who is around to take a call for me','who can grab my calls','someone take my calls pls','who is available to answer for me right now','who could handle my calls at the moment','WHO CAN TAKE MY CALLS','who can take over my phone now','need cover for my calls now','anyone able to answer my line','who is free to cover me','which of my delegates can take a call now','who could pick up if someone calls me now','who can field my calls','i need someone to answer my calls','who is free to answer my phone'],
 'presence': ['is {n} available','is {n} free','{n} around?','is {n} in a meeting','is {n} online','can i call {n} now','where is {n}','whats {n} up to','is {n} busy','{n} free?','is {n} at her desk','is {n} reachable','check {n}','check on {n} pls','{n} status','what is {n} doing','is {n} on a call','can i reach {n}','is {n} free to talk','is {n} back','{n} there?','is {n} away','any idea if {n} is free','{n} available rn?','IS {n} FREE','is {n} out of office','whats the status of {n}','is {n} free right now','hows {n} looking','can i talk to {n}','{n} presence','is {n} in today','is {n} around','does {n} have a minute','has {n} got a sec','do you know if {n} is around','any chance {n} is in','wonder if {n} is free','is {n} free or busy','would {n} be free now','could i catch {n}','i need to know if {n} is available'],
 'groupPresence_D': ['are my delegates free','is any of my delegates free','is my assistant around','are my delegates online','is my delegate busy','is my backup available','are any of my assistants available','is anyone on my team free','are my delegates around','is my pa in','whats my assistants status','is my delegate at her desk','any of my delegates online?','ARE MY DELEGATES FREE','are my backups busy'],
 'groupPresence_X': ['is my boss free','is my boss available','is my exec in a meeting','are my executives around','is the person i cover for busy','whats my bosses status','is my boss online','are my bosses free','is my executive back','is my boss around rn','IS MY BOSS FREE','is the boss in','are the people i cover for available','is my exec free to talk','has my boss got a minute'],
 'call_n': ['call {n}','ring {n}','phone {n}','dial {n}','give {n} a call','get {n} on the phone','start a call with {n}','video call {n}','call {n} on video','can you call {n}','i want to call {n}','ring {n} pls','make a call to {n}','CALL {n}','get me {n} on the line','call {n} now','place a call to {n}','facetime {n}','buzz {n}','give {n} a ring','start a teams call with {n}','connect me to {n}','put me through to {n}','get {n} on a video call','i need to talk to {n} on the phone','video chat with {n}','call up {n}'],
 'call_D': ['call my delegate','ring my assistant','phone my backup','call whoever is covering for me','get my assistant on the phone','give my delegate a ring','video call my assistant','connect me to my delegate','dial my pa','CALL MY DELEGATE','call one of my delegates','buzz my assistant'],
 'call_X': ['call my boss','ring my exec','phone my executive','get my boss on the phone','give my boss a ring','video call my boss','connect me to my boss','dial my manager','CALL MY BOSS','call the person i cover for'],
 'meet_n': ['meet now with {n}','start a meeting with {n}','set up a meeting with {n}','quick meeting with {n}','meeting with {n} now','get {n} into a meeting','meet with {n}','spin up a meeting with {n}','i need a meeting with {n} now','hop on a meeting with {n}','start a teams meeting with {n}','MEET NOW WITH {n}','meet {n}','i want to meet {n} now','meet {n} right away','grab {n} for a meeting now'],
 'meet_nm': ['meet now with {n} and {m}','start a meeting with {n} and {m}','set up a meeting with {n}, {m}','quick meeting with {n} & {m}','get {n} and {m} in a meeting','meeting with {n} and {m} now','meet with {n} and {m}','hop on a call with {n} and {m} as a meeting'],
 'meet_D': ['meet now with my delegates','start a meeting with my assistants','get my delegates into a meeting','quick meeting with my team of delegates','set up a meeting with all my delegates','meeting with my backups now','meet with my assistant','MEET NOW WITH MY DELEGATES','huddle with my delegates'],
 'meet_X': ['meet now with my boss','start a meeting with my executives','set up a meeting with my boss','get my boss into a meeting','quick meeting with my exec','meet with the people i cover for','huddle with my boss'],
 'perm_n': ['what can {n} do for me','what is {n} allowed to do','what permissions does {n} have','what may {n} do','can {n} make calls for me','does {n} have permission to answer my calls','what rights does {n} have','what am i allowed to do for {n}','what can i do for {n}','can i make calls on behalf of {n}','what access does {n} have','{n} permissions','what are {n}s permissions','is {n} allowed to call for me','can {n} join my meetings','may i answer calls for {n}','can {n} change my call settings','rights of {n}','permissions for {n}?','what is {n} permitted to do','which rights has {n}'],
 'perm_D': ['what can my delegates do','what are my delegates allowed to do','what permissions do my assistants have','what can my assistant do for me','what access have i given my delegates','can my delegate make calls for me','my delegates permissions','what rights does my backup have'],
 'perm_X': ['what can i do for my boss','what am i allowed to do for my executives','what permissions do i have for my boss','can i make calls for my exec','what may i do for the people i cover','my permissions as a delegate','what access do i have to my bosses line'],
 'setStatus': ['im busy for an hour','set me to away','mark me as busy','put me on dnd','i am out for lunch for 30 min','set me to do not disturb for 2 hours','show me as available','make me appear offline','im back','brb','set me as be right back','i am in a meeting for 45 minutes','im away for 20 mins','set status busy','go dnd for an hour','put me as away','change my presence to busy','switch me to available','make me busy for 30 minutes','I AM BUSY','set me to available','im available again','mark me away for 15 minutes','set my presence to dnd','flag me as busy for an hour','status: away','do not disturb me for an hour','im offline','go invisible'],
 'setStatus_msg': ['set my status to {s}','set my status message to {s}','change my status to {s}','update my status to {s}','status message: {s}','my status should say {s}','put {s} as my status','set status to {s}'],
 'clearStatus': ['clear my status','reset my status','remove my status message','delete my status','clear my presence','reset my presence','wipe my status','get rid of my status message','clear status pls','undo my status','CLEAR MY STATUS','remove my away message','back to normal status','clear my status message','erase my status','take my status off','reset my availability','clear out my presence','remove my status','drop my status'],
 'help': ['help','what can you do','how does this work','what do you do','commands','options','help me','what can i ask you','how do i use this','show me what you can do','what are my options','i need help','HELP','menu','what can this bot do','how do i use you','instructions pls','what should i type'],
 'None': ['order a pizza','whats the weather','tell me a joke','book a flight to paris','what time is it','asdf','lol','play some music','who won the game last night','translate this to french','how tall is mount everest','write me a poem','buy milk','what is 2 plus 2','open excel','send an email to finance','recommend a restaurant','how old are you','do you like cats','qwerty',
   # Fragments and word salads of the bot's own words (what chat fuzz sends), and requests for things the bot does not do.
   'my is set','status now with','now set my hour','who for my','is who hour','for with meet','with please','please for',
   'my my','set set set','free hour lol','status status',
   'now now now','who who','for an','is is','brb brb brb','tell me a story',
   'tell me the news','tell me about yourself','book a meeting room for friday','reserve the big conference room',
   'find a room for tomorrow','set an alarm for 7','set a timer for 10 minutes','remind me to water the plants',
   'what is the status of my order'],
 'notify_n': ['let me know when {n} is free','tell me when {n} is available','notify me when {n} is back','ping me once {n} is out of her meeting','ping me when {n} is off the phone','tell me when {n}s available for the next hour','let me know when {n} is free or tell me if not','message me as soon as {n} is free','alert me when {n} comes back','lmk when {n} is free','give me a shout when {n} is available','can you tell me once {n} is done with his call','notify me if {n} becomes available in the next 2 hours','watch {n} and tell me when she is free','keep an eye on {n} and let me know when hes back','tell me the moment {n} frees up','ping me when {n} is online again','let me know when {n} gets back to her desk','NOTIFY ME WHEN {n} IS FREE','text me when {n} is no longer busy','tell me when {n} is free for the next 30 minutes, or let me know if not','i want to know when {n} is available','let me know once {n} finishes the meeting','buzz me when {n} is back','tell me as soon as {n} is out of the call','could you ping me when {n} is available please','send me a message when {n} is free','let me know when {n} returns','let me know when {n} is no longer on the phone'],
 'notify_D': ['notify me when my delegate is back','tell me when my assistant is free','let me know when my delegate is available','ping me once my backup is off the phone','tell me when my pa is back at her desk','alert me when my assistant is available for the next hour','lmk when my delegate frees up','message me when one of my delegates is free'],
 'notify_X': ['let me know when my boss is free','tell me when my exec is back','ping me once my boss is out of his meeting','notify me when my executive is available','let me know when the boss is free or tell me if not','tell me when my manager is off the phone'],
 'listWatches': ['what am i waiting for','who am i watching','what are you watching for me','show my alerts','list my watches','who are you going to tell me about','my watches','what notifications have i set up','do i have any alerts','who am i waiting on','which people am i watching','what alerts do i have','any pending alerts','WHAT AM I WAITING FOR','show me who im watching','what did i ask you to watch'],
 'cancelWatch': ['stop notifying me','cancel my alerts','stop pinging me','turn off notifications','i dont need the alerts anymore','cancel all my watches','stop watching','no more alerts please','delete my alerts','STOP NOTIFYING ME','stop telling me when people are free','forget the alerts','remove all watches','dont notify me anymore','cancel the notifications'],
 'cancelWatch_n': ['stop notifying me about {n}','cancel the alert for {n}','stop watching {n}','no need to tell me about {n} anymore','remove the watch on {n}','stop pinging me about {n}','forget about {n} being free','cancel my watch on {n}','dont tell me when {n} is free anymore','delete the alert for {n}'],
}
EVAL = {
 'myDelegates': ['hey who is handling my calls these days','who has rights to pick up my phone','which folks are my delegates again?','whos covering my line','do i even have a delegate','show delegates','who have i delegated to','tell me who my assistants are pls','who is my deputy','who can answer on my behalf','WHO IS MY ASSISTANT','umm who are my delegates','who is on my call delegation','who looks after my phone','who has my calls when im busy','could you list who covers me','who r my delegates','sorry, who is my backup again?'],
 'myDelegators': ['whose calls am i supposed to cover','which bosses do i cover','who am i an assistant for','who do i handle calls for','who have i been asked to cover','show me the execs i support','whose phone am i on','which people have made me their delegate','who am i delegate of','WHO IS MY BOSS','who r my bosses','which executives can i take calls for','who do i support','whos my exec again'],
 'whoCanTakeMyCall': ['is anybody free to grab my calls','who could take a call for me right now','which delegate can pick up now','anyone around to cover my calls?','who is able to answer my calls right now','i need someone to handle my calls now','who can take a call rn','someone needs to pick up my calls','WHO CAN COVER MY CALLS NOW','whos free to take calls for me','who can pick up my phone now','anyone free to answer my line rn'],
 'presence': ['is {n} free at the moment','{n} busy?','is {n} available for a quick chat','any chance {n} is around','is {n} in the office','is {n} free??','can i grab {n} now','what is {n} up to','whats {n}s status','IS {n} AVAILABLE','is {n} on a call right now','{n} online?','{n} around rn','is {n} still in a meeting','{n}s availability','can i ping {n}','is {n} free to chat','do you know if {n} is busy','hows {n} doing, free?','where is {n} at','is {n} free now?!'],
 'groupPresence_D': ['are any of my delegates around','is my assistant free','are my assistants busy','is any delegate of mine online','is my backup in','ARE MY ASSISTANTS AROUND','is my delegate free rn','are my delegates available?'],
 'groupPresence_X': ['is my boss around','is my exec busy','are my bosses in','is my executive free?','IS MY BOSS AVAILABLE','is the boss free right now','are the people i cover for online','is my boss in a meeting'],
 'call_n': ['pls call {n}','could you ring {n}','call {n}!!','need to call {n}','ring {n} for me','video call with {n}','give {n} a buzz','start a video call with {n}','phone {n} now','get me {n}','CALL {n} NOW','i wanna call {n}','dial {n} pls','call {n} asap','ring up {n}','get {n} on video'],
 'call_D': ['ring my delegate','call my assistant pls','phone my delegate now','get my backup on the line','video call my delegate','call my pa'],
 'call_X': ['ring my boss','call my exec','phone my boss now','CALL MY EXEC','get my executive on the line'],
 'meet_n': ['meeting now with {n}','set up a quick meeting with {n}','start a meeting w {n}','meet {n} now','need to meet {n} right now','open a meeting with {n}'],
 'meet_nm': ['meeting with {n} and {m}','meet now with {n}, {m}','start a meeting with {n} & {m} pls','set up a meeting with {n} and {m} now','quick meeting w {n} and {m}'],
 'meet_D': ['meeting with my delegates','set up a quick meeting with my assistants','meet now w my delegates','start a meeting with my backups'],
 'meet_X': ['meeting with my boss now','meet now with my exec','set up a meeting with my executives'],
 'perm_n': ['what is {n} able to do for me','which permissions has {n} got','can {n} place calls for me','what am i permitted to do for {n}','does {n} have delegate rights','what can {n} do on my behalf','what can i do on behalf of {n}','{n} rights?','what access has {n} got'],
 'perm_D': ['what are my assistants allowed to do','what can my delegate do','what permissions have my delegates got','can my assistant answer calls for me'],
 'perm_X': ['what may i do for my boss','what am i permitted to do for my execs','can i place calls for my boss','what permissions do i have as my bosses delegate'],
 'setStatus': ['im busy for 30 mins','mark me dnd','set me away for an hour','im out for 15 minutes','put me on do not disturb for 2 hours','show me as busy','im free now','make me available','set me to busy for 1 hour','brb 10 mins','I AM AWAY','im in a call for 20 minutes','set me offline','mark me as available'],
 'setStatus_msg': ['set my status to {s}','change my status message to {s}','status: {s}','set status message to {s}'],
 'clearStatus': ['clear my status pls','reset status','remove status message','delete my status message','clear my status!!','wipe my presence','get rid of my status','CLEAR STATUS','undo my status message'],
 'help': ['what can u do','how does this bot work?','what commands are there','help pls','HELP!!','i dont know what to ask','what can i do here','show commands'],
 'None': ['order me a sandwich','whats the capital of france','tell me something funny','book a meeting room for tuesday','what day is it','zxcvb','hmm','sing a song','send the report to finance','how many days until christmas','ok cool'],
 'notify_n': ['let me know when {n} is available','ping me as soon as {n} is free','notify me once {n} is back','tell me when {n} is off her call','msg me when {n} is free rn','could you let me know if {n} becomes free in the next hour','tell me when {n} is back or tell me if not','alert me the moment {n} is available'],
 'notify_D': ['ping me when my assistant is back','let me know when my delegate is free'],
 'notify_X': ['notify me when my boss is available','tell me once my exec is out of her meeting'],
 'listWatches': ['what am i watching','show my watches','who are you watching for me','any alerts set?'],
 'cancelWatch': ['stop the alerts','cancel notifications','stop notifying me pls','no more pings'],
 'cancelWatch_n': ['stop notifying me about {n}','cancel my alert for {n}','stop watching {n} pls'],
}
STATUS_MSGS_TRAIN = ['In the lab until 3','Working from home','At the dentist, back at 2','On site with a client','Focus time','In training all day']
STATUS_MSGS_EVAL = ['Out sick today','Travelling, reply slow','In a workshop until noon','Lunch, back at 1']

AVAIL = [(r'\b(do not disturb|dnd)\b','DoNotDisturb'),(r'\b(be right back|brb)\b','BeRightBack'),(r'\b(busy|in a meeting|in a call)\b','Busy'),(r'\b(away|out)\b','Away'),(r'\b(offline|invisible)\b','Offline'),(r'\b(available|free|back)\b','Available')]
def status_cmd(t):
    a = next((v for p,v in AVAIL if re.search(p,t.lower())), None)
    m = re.search(r'(\d+|an|a|one|two|1|2) ?(hours?|hrs?|h|minutes?|mins?|min)\b', t.lower())
    c = {'intent':'setStatus'}
    if a: c['availability']=a
    if m:
        n = {'an':1,'a':1,'one':1,'two':2}.get(m.group(1)) or int(m.group(1))
        c['durationMinutes'] = n*60 if m.group(2).startswith('h') else n
    return c

def watch_details(t):
    t = t.lower().replace("'", '')
    d = {}
    expiry = re.search(r'\b(or|and) (tell|let) me (know )?if not\b|either way', t)
    if expiry: t = t[:expiry.start()]
    m = re.search(r'\b(?:for|in|within)(?: the)?(?: next)? (?:(an?|one|two|\d+) ?)?(hours?|minutes?|mins?)\b', t)
    d['condition'] = 'back' if re.search(r'\b(back|returns?|online|at (her|his|their) desk)\b', t) else 'free'
    if m:
        n = {'a':1,'an':1,'one':1,'two':2}.get(m.group(1) or 'a') or int(m.group(1))
        d['durationMinutes'] = n*60 if m.group(2).startswith('h') else n
    if expiry: d['reportExpiry'] = True
    return d

CHAT = [(r'\byou\b','u'),(r'\bare\b','r'),(r'\bplease\b','pls'),(r'\bright now\b','rn'),(r'\bwith\b','w'),(r'\bthanks\b','thx')]
def noise(t, rnd, names):
    protected = set(w.lower() for n in names for w in n.split())
    r = rnd.random()
    words = t.split(' ')
    # a typo in one non-name word of 5+ letters
    if rnd.random() < 0.25:
        idx = [i for i,w in enumerate(words) if len(w)>=5 and w.lower() not in protected and w.isalpha()]
        if idx:
            i = rnd.choice(idx); w = words[i]; j = rnd.randrange(1,len(w)-1)
            words[i] = w[:j] + w[j+1] + w[j] + w[j+2:] if rnd.random()<0.6 else w[:j]+w[j+1:]
    t = ' '.join(words)
    if rnd.random() < 0.2:
        for a,b in CHAT: t = re.sub(a,b,t)
    if rnd.random() < 0.15: t = rnd.choice(['hey ','hi, ','quick q: ','sorry to bother, ','ok so ','um ','hello! ']) + t
    if rnd.random() < 0.15: t = t + rnd.choice([' please',' pls',' thanks',' thx',' asap',' :)'])
    if rnd.random() < 0.25 and not t.endswith(('!','?')):
        t = t + rnd.choice(['?','??','?!','!!','...'])
    if rnd.random() < 0.3: t = t[0].upper()+t[1:]
    if rnd.random() < 0.06: t = t.upper()
    return t

def build(templates, names_pool, msgs, rnd, reps, plain=1):
    out = []
    for key, texts in templates.items():
        for tpl in texts:
            for k in range(reps.get(key, 1) if '{' in tpl else plain):
                names = []
                n = nameform(rnd.choice(names_pool), rnd); m = nameform(rnd.choice([x for x in names_pool if x.lower()!=n.lower()]), rnd)
                s = rnd.choice(msgs)
                text = tpl
                if '{n}' in tpl: names.append(n)
                if '{m}' in tpl: names.append(m)
                text = text.replace('{n}', n).replace('{m}', m).replace('{s}', s)
                clean = text
                text = noise(text, rnd, names)
                base = key.split('_')[0]
                if key == 'groupPresence_D': cmd = {'intent':'groupPresence','who':'myDelegates'}; base='presence'
                elif key == 'groupPresence_X': cmd = {'intent':'groupPresence','who':'myDelegators'}; base='presence'
                elif key == 'presence': cmd = {'intent':'presence','name':n}
                elif key == 'call_n': cmd = {'intent':'call','target':{'kind':'person','name':n},'video':bool(re.search('video|facetime',text.lower()))}
                elif key == 'call_D': cmd = {'intent':'call','target':{'kind':'myDelegate'},'video':'video' in text.lower()}
                elif key == 'call_X': cmd = {'intent':'call','target':{'kind':'myDelegator'},'video':'video' in text.lower()}
                elif key == 'meet_n': cmd = {'intent':'meetNow','target':{'kind':'person','name':n}}
                elif key == 'meet_nm': cmd = {'intent':'meetNow','target':{'kind':'people','names':[n,m]}}; base='meetNow'
                elif key == 'meet_D': cmd = {'intent':'meetNow','target':{'kind':'myDelegates'}}
                elif key == 'meet_X': cmd = {'intent':'meetNow','target':{'kind':'myDelegators'}}
                elif key == 'perm_n': cmd = {'intent':'permissions','target':{'kind':'person','name':n}}
                elif key == 'perm_D': cmd = {'intent':'permissions','target':{'kind':'myDelegates'}}
                elif key == 'perm_X': cmd = {'intent':'permissions','target':{'kind':'myDelegators'}}
                elif key == 'setStatus': cmd = status_cmd(clean)
                elif key == 'setStatus_msg': cmd = {'intent':'setStatus','message':s}
                elif key.startswith('notify'):
                    target = {'kind':'person','name':n} if key == 'notify_n' else {'kind':'myDelegate'} if key == 'notify_D' else {'kind':'myDelegator'}
                    cmd = {'intent':'notify','target':target, **watch_details(clean)}; base='notify'
                elif key == 'cancelWatch_n': cmd = {'intent':'cancelWatch','name':n}; base='cancelWatch'
                elif key == 'help': cmd = {'intent':'help','reason':'asked'}
                elif key == 'None': cmd = {'intent':'help','reason':'notUnderstood'}
                else: cmd = {'intent':key}
                label = {'meet':'meetNow','perm':'permissions','call':'call','setStatus':'setStatus'}.get(base, base)
                out.append({'text':text,'intent':label,'command':cmd, **({'names':names} if names else {})})
    return out

rnd = random.Random(1)
train = build(TRAIN, TRAIN_NAMES, STATUS_MSGS_TRAIN, rnd, {'presence':3,'call_n':3,'meet_n':3,'meet_nm':3,'perm_n':2,'setStatus_msg':2,'notify_n':2,'cancelWatch_n':2}, plain=2)
rnd = random.Random(2)
ev = build(EVAL, EVAL_NAMES, STATUS_MSGS_EVAL, rnd, {'presence':2,'call_n':2,'meet_n':2,'meet_nm':2,'perm_n':2,'setStatus_msg':1,'notify_n':2})
# dedupe
def dd(xs):
    seen=set(); r=[]
    for x in xs:
        if x['text'].lower() in seen: continue
        seen.add(x['text'].lower()); r.append(x)
    return r
train = dd(train); ev = [e for e in dd(ev) if e['text'].lower() not in {t['text'].lower() for t in train}]
# training file: text, intent, names (the command is only for eval)
json.dump([{k:v for k,v in t.items() if k!='command'} for t in train], open(sys.argv[1]+'/training.json','w'), ensure_ascii=False, indent=0)
json.dump([{'text':e['text'],'command':e['command']} for e in ev], open(sys.argv[1]+'/evaluation.json','w'), ensure_ascii=False, indent=0)
print(len(train), len(ev))
from collections import Counter
print(Counter(t['intent'] for t in train)); print(Counter(e['command']['intent'] for e in ev))
